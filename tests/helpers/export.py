"""Shared by the export/review tests: a small list with every fix situation, and checks.

The list is CRLF, carries a Latin-1 byte, mojibake, trailing whitespace and
tabs, so every test also proves those bytes survive.
"""

from __future__ import annotations

from diffsync.writeback.edits import Edit
from diffsync.listfile.parse import parse_list
from diffsync.models import Finding, Kind, Status
from helpers.builders import paper

LIST = (
    b"# Papers\r\n"
    b"\r\n"
    b"## Foundations \r\n"
    b"**Denoising Diffusion Probabilistic Modles** \\\r\n"
    b"*Jonathan Ho<sup>1</sup>, Ajay Jain, Pieter Abbel* \\\r\n"
    b"NeurIPS 2020. [[Paper](https://arxiv.org/abs/2006.11239v2)] [[Github](https://github.com/hojonathanho/diffusion)] \\\r\n"
    b"[Submitted on 19 Jun 2021]   \r\n"
    b"Caf\xe9 is a Latin-1 byte; \xc3\xac\xc2\xa0\xe2\x80\xa2 is mojibake.\t \r\n"
    b"\r\n"
    b"**Score-Based Generative Modeling through SDEs** \\\r\n"
    b"*Yang Song, Jascha Sohl-Dickstein and Ben Poole* \\\r\n"
    b"ICLR 2021. [[Paper](https://arxiv.org/pdf/2011.13456v1.pdf)] \\\r\n"
    b"26 November 2020\r\n"
    b"\r\n"
    b"**Minimizing Trajectory Curvature of ODE-based Generative Models** \\\r\n"
    b"*Sangyun Lee, Beomsu Kim, Jong Chul Ye*\\\r\n"
    b"arxiv 27 Jan 2023 [[Paper] (https://arxiv.org/abs/2301.12003)]\\\r\n"
    b"\r\n"
    b"**Learning Fast Samplers for Diffusion Models** \\\r\n"
    b"*Daniel Watson, William Chan* \\\r\n"
    b"ICLR 2022. [[Paper](https://openreview.net/forum?id=VFBjuF8HEp)]  \\\r\n"
    b"\r\n"
    b"**Progressive Distillation for Fast Sampling** \\\r\n"
    b"*Tim Salimans, Jonathan Ho* \\\r\n"
    b"ICLR 2022. [[Github](https://github.com/google-research/google-research)] \\\r\n"
    b"\r\n"
    b"**Classifier-Free Diffusion Guidance** \\\r\n"
    b"*Jonathan Ho, Tim Salimans* \\\r\n"
    b"NeurIPS 2021 Workshop.\r\n"
    b"\r\n"
    b"**Elucidating the Design Space** \\\r\n"
    b"*Tero Karras, Miika Aittala*\r\n"
    b"\r\n"
    b"## Again\r\n"
    b"**Denoising Diffusion Probabilistic Model** \\\r\n"
    b"*Jonathan Ho, Ajay Jain, Pieter Abbel* \\\r\n"
    b"[[Paper](https://arxiv.org/abs/2006.11239)] \\\r\n"
    b"19 Jun. 2021\r\n"
)


def parsed(data: bytes = LIST):
    return parse_list(data, "papers.md")


def entry_at(line: int, data: bytes = LIST):
    return next(e for e in parsed(data).entries if e.line == line)


def finding(kind: Kind, line: int, suggestion: str | None, *, fid: str | None = None,
            listed: str | None = None, data: bytes = LIST) -> Finding:
    e = entry_at(line, data)
    return Finding(id=fid or f"{kind.value}-{line}", kind=kind, line=line, entry_key=e.key,
                   arxiv_id=e.arxiv_id, listed=listed, arxiv=suggestion, message="m",
                   suggestion=suggestion, status=Status.ACCEPTED)


DDPM = paper("2006.11239", "Denoising Diffusion Probabilistic Models",
              ("Jonathan Ho", "Ajay Jain", "Pieter Abbeel"), "2020-06-19")


def assert_only_edits_changed(old: bytes, new: bytes, edits: list[Edit]) -> None:
    """Every byte outside the edits is identical, in order; the edits hold exactly their new bytes."""
    pos_old = pos_new = 0
    for edit in sorted(edits, key=lambda e: (e.span.start, e.span.end)):
        gap = old[pos_old:edit.span.start]
        assert new[pos_new:pos_new + len(gap)] == gap
        pos_new += len(gap)
        assert old[edit.span.start:edit.span.end] == edit.old
        assert new[pos_new:pos_new + len(edit.new)] == edit.new
        pos_new += len(edit.new)
        pos_old = edit.span.end
    assert new[pos_new:] == old[pos_old:]
    assert len(new) - len(old) == sum(len(e.new) - len(e.old) for e in edits)
