from diffsync.textnorm import citation_leftover, fix_mojibake, fold, strip_tex, title_key, without_leftover


def test_mojibake_is_undone_and_real_accents_are_kept():
    assert fix_mojibake("Norman MÃ¼ller") == "Norman Müller"
    assert fix_mojibake("Matthias NieÃŸner") == "Matthias Nießner"
    assert fix_mojibake("Samuel Rota BulÃ²") == "Samuel Rota Bulò"
    assert fix_mojibake("Gödel Ünal".encode().decode("cp1252")) == "Gödel Ünal"
    assert fix_mojibake("정재석".encode().decode("cp1252", "replace")) != "정재석"  # lossy: left alone
    for clean in ("Björn Ommer", "Müller", "plain ascii", "α-GAN", "Ångström"):
        assert fix_mojibake(clean) == clean


def test_tex_is_stripped():
    assert strip_tex("$\\mathcal{O}(n)$ steps").split() == ["O(n)", "steps"]
    assert "alpha" in strip_tex("$\\alpha$-GAN")
    assert strip_tex("\\textit{Imagen}: {GAN}s").replace(" ", "") == "Imagen:GANs"
    assert fold('M\\"{u}ller') == "muller"


def test_fold_removes_case_diacritics_and_width():
    assert fold("Über") == fold("uber") == fold("ＵＢＥＲ".lower()) == "uber"
    assert fold("Łukasz Øster") == "lukasz oster"


def test_title_key_ignores_punctuation_and_word_joins():
    assert title_key("Zero-shot Image-to-Image Translation") == title_key("Zero Shot Image to Image Translation")
    assert title_key("Diffusion — A Survey") == title_key("diffusion -- a survey")
    assert title_key("GLIGEN: Open-Set") != title_key("GLIGEN: Closed-Set")


def test_citation_leftovers():
    t = "Progressive Deblurring of Diffusion Models for Coarse-to-Fine Image Synthesis, Sangyun Lee et al., 2022"
    assert citation_leftover(t) == ", Sangyun Lee et al., 2022"
    assert without_leftover(t) == "Progressive Deblurring of Diffusion Models for Coarse-to-Fine Image Synthesis"
    assert citation_leftover("Some Title (Daras et al. 2022)") is not None
    for clean in ("Diffusion Models: A Comprehensive Survey", "Soft Diffusion", "Et Alia in Real Titles"):
        assert citation_leftover(clean) is None
        assert without_leftover(clean) == clean
