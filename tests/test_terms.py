"""Key terms: discovery in Korean notes, grouping of spellings, the user glossary, term notes."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import SEED

from flashcards.enrich.terms import TermResult, find_terms
from flashcards.enrich.terms.glossary import load_glossary
from flashcards.enrich.terms.lexicon import term_key
from flashcards.extract import ParsedFile, extract_file
from flashcards.notes import FoundTerm, TermNote
from flashcards.pipeline import collect
from flashcards.read.sources import read_source

MUST_HAVE = [
    "FID", "Inception Score", "pose transfer", "federated learning", "knowledge distillation",
    "pretext task", "self-supervised learning", "semi-supervised learning", "Frustum", "CycleGAN",
    "transformer", "Mask R-CNN", "overfitting", "end-to-end",
]  # fmt: skip
EVERYDAY = ["task", "data", "model", "bar", "job", "role", "topic", "text", "score", "history",
            "interaction", "challenge", "python", "target", "student", "trade-off"]  # fmt: skip


def read(path: Path) -> ParsedFile:
    source = read_source(path, path.parent)
    assert not isinstance(source, list), source
    parsed = extract_file(source)
    assert isinstance(parsed, ParsedFile), parsed
    return parsed


def terms_of(tmp_path: Path, text: str, glossary: str | None = None) -> TermResult:
    note = tmp_path / "notes.md"
    note.write_text(text, encoding="utf-8")
    if glossary is not None:
        (tmp_path / "glossary.yaml").write_text(glossary, encoding="utf-8")
    loaded, problems = load_glossary(tmp_path)
    assert problems == []
    return find_terms([read(note)], loaded)


def by_name(result: TermResult) -> dict[str, TermNote]:
    """The term notes: terms with a definition."""
    return {note.term: note for note in result.terms}


def found(result: TermResult) -> dict[str, FoundTerm]:
    """Every term found, defined or not (what `flashcards terms` lists)."""
    return {term.term: term for term in result.found}


@pytest.fixture(scope="module")
def seed() -> tuple[ParsedFile, TermResult]:
    notes = read(SEED)
    glossary, problems = load_glossary(SEED.parent)
    assert glossary is not None and problems == []
    return notes, find_terms([notes], glossary)


# --- the seed ------------------------------------------------------------------------------------
def test_seed_has_every_must_have_term_and_no_pile_of_junk(seed):
    _, result = seed
    names = [note.term for note in result.terms]
    assert set(MUST_HAVE) <= set(names)
    assert 20 <= len(names) <= 40
    assert len(set(names)) == len(names)  # one note per term: the seed is one deck


def test_seed_drops_everyday_words_with_or_without_the_glossary(seed):
    notes, with_glossary = seed
    for result in (with_glossary, find_terms([notes], None)):
        keys = {term_key(note.term) for note in result.terms}
        assert keys.isdisjoint(term_key(word) for word in EVERYDAY)


def test_seed_without_a_glossary_still_finds_the_must_have_terms(seed):
    notes, _ = seed
    names = set(found(find_terms([notes], None)))
    assert {"3D detection", "generative model", "CycleGAN"} <= names  # best-cased, not "3d"
    keys = {term_key(name) for name in names}
    spotted = {term for term in MUST_HAVE if term_key(term) in keys}
    # Only the misspelt "Inceptation score" needs the glossary for its right name.
    assert set(MUST_HAVE) - spotted == {"Inception Score"}
    assert term_key("Inceptation score") in keys


def test_seed_gan_question_has_fid_and_inception_score_as_key_terms(seed):
    notes, result = seed
    key_terms = result.key_terms[(notes.head.display, 174)]
    assert {"FID", "Inception Score", "GAN"} <= set(key_terms)
    assert all(line in {f.line for f in notes.drafts} for _, line in result.key_terms)


def test_seed_term_note_content(seed):
    notes, result = seed
    inception = by_name(result)["Inception Score"]
    assert inception.deck == notes.head.deck and inception.tags == notes.head.tags
    assert (inception.source.path, inception.source.line) == (notes.head.display, 180)
    assert inception.aliases[:2] == ["Inceptation score", "IS"]
    assert inception.definition.startswith("사전학습된 Inception 네트워크")
    assert [c.line for c in inception.context] == [180, 259]
    assert inception.context[1].text == "키워드로는 inception score, FID이다."
    assert inception.questions[0].startswith("GAN의 경량화는 어떻게")
    transformer = by_name(result)["transformer"]
    assert transformer.source.line == 96  # "트랜스포머", the glossary's Korean alias
    assert "트랜스포머를 사용하려면 왜 데이터가 더 많아야하나요?" in transformer.questions
    assert 1 <= len(transformer.context) <= 2  # the definition first, then two examples
    assert len({c.text for c in transformer.context}) == len(transformer.context)
    assert len({(c.path, c.line) for c in transformer.context}) == 2  # spread over the notes
    assert len(set(transformer.questions)) == len(transformer.questions)  # each asked once
    assert not set(transformer.questions) & {c.text for c in transformer.context}


def test_seed_output_is_deterministic_and_in_source_order(seed):
    notes, result = seed
    again = find_terms([notes], load_glossary(SEED.parent)[0])
    assert [n.model_dump() for n in again.terms] == [n.model_dump() for n in result.terms]
    lines = [note.source.line for note in result.terms]
    assert lines == sorted(lines)
    assert all(note.guid == "" for note in result.terms)


def test_seed_definitions_come_from_the_notes_without_a_glossary(seed):
    notes, _ = seed
    pretext = by_name(find_terms([notes], None))["pretext task"]
    assert pretext.definition.startswith("pretext task란 영상인식을 하게 만드는데")
    assert pretext.source.line == 116
    assert all(c.text != pretext.definition for c in pretext.context)


def test_seed_without_a_glossary_makes_no_term_card_without_a_back(seed):
    notes, _ = seed
    result = find_terms([notes], None)
    assert result.terms and all(note.definition.strip() for note in result.terms)
    listed = found(result)
    assert all(listed[note.term].definition_source == "notes" for note in result.terms)
    undefined = {name for name, term in listed.items() if term.definition is None}
    assert {"FID", "CycleGAN", "federated learning"} <= undefined  # listed, and no card
    assert not undefined & set(by_name(result))
    told = {d.message.split("'")[1] for d in result.diagnostics if d.code == "term-undefined"}
    assert told == undefined


# --- discovery -----------------------------------------------------------------------------------
QA = "## Q&A\n\n"


def test_korean_particles_never_stick_to_a_term(tmp_path):
    result = terms_of(tmp_path, QA + (
        "- FID를 어떻게 계산하나요?\n\n"
        "\t- 키워드 : FID를 검색해보시면 됩니다. transformer는 end-to-end구조예요.\n"
        "\t- Frustum을 검색해보시는게 좋아요.\n\n"
        "- transformer는 왜 데이터가 많이 필요한가요?\n\n"
        "\t- transformer는 구조 제약이 없고 end-to-end로 학습해요.\n"
    ))  # fmt: skip
    assert {"FID", "transformer", "end-to-end", "Frustum"} <= set(found(result))
    assert not any("를" in n or "는" in n or "구조" in n or "을" in n for n in found(result))


def test_spelling_variants_and_aliases_are_one_term(tmp_path):
    result = terms_of(tmp_path, QA + (
        "- mask-R-CNN은 무엇인가요?\n\n\t- mask R-CNN은 Mask R-CNN 논문의 모델이에요.\n\n"
        "- vit는 무엇인가요?\n\n\t- ViT는 이미지를 패치로 나눠요. vit 구조.\n\n"
        "- Dall-E model은 무엇인가요?\n\n\t- Dall-E-model은 DALL-E라고도 써요.\n\n"
        "- self supervised learning은요?\n\n\t- self-supervised learning이에요.\n"
    ))  # fmt: skip
    names = found(result)
    assert {"ViT", "DALL-E"} <= set(names)
    assert "vit" not in names and "Dall-E" not in names
    assert sum(term_key(n) == "maskrcnn" for n in names) == 1
    assert sum(term_key(n) == "selfsupervisedlearning" for n in names) == 1
    # "vit는 무엇인가요?" asks what it is: the answer is its definition, the question its card's.
    vit = by_name(result)["ViT"]
    assert vit.definition == "ViT는 이미지를 패치로 나눠요. vit 구조."
    assert vit.questions == ["vit는 무엇인가요?"] and vit.context == []


def test_everyday_words_and_english_prose_are_not_terms(tmp_path):
    result = terms_of(tmp_path, QA + (
        "- task와 data는 어떻게 나누나요?\n\n\t- model마다 task가 달라요. data도 많아야 해요.\n\n"
        "- data를 더 모으면 model이 좋아지나요?\n\n"
        "\t- this is a very good idea for the team. text와 score, history를 보세요.\n"
    ))  # fmt: skip
    assert result.terms == [] and result.found == []


def test_cue_phrases_and_bold_keep_terms_mentioned_once(tmp_path):
    result = terms_of(tmp_path, QA + (
        "- 3D 복원은 어떻게 평가하나요?\n\n"
        "\t- 키워드로는 Chamfer distance, EMD이다. 또 voxelization으로 검색해보세요.\n"
        "\t- **Batch Normalization**은 학습을 안정시켜요. idea 같은 말은 한 번뿐이에요.\n"
    ))  # fmt: skip
    names = set(found(result))
    assert {"Chamfer distance", "EMD", "voxelization", "Batch Normalization"} <= names
    assert "idea" not in names  # an everyday English word, used once, in passing


def test_near_spellings_join_but_numbers_and_prefixes_do_not(tmp_path):
    result = terms_of(tmp_path, QA + (
        "- distributed learning은 무엇인가요?\n\n"
        "\t- distribte learning은 여러 서버에서 학습해요.\n\n"
        "- ResNet-50과 ResNet-10은요?\n\n\t- ResNet-50이 ResNet-10보다 깊어요.\n\n"
        "- unsupervised learning과 supervised learning은요?\n\n"
        "\t- unsupervised learning과 supervised learning은 달라요.\n"
    ))  # fmt: skip
    names = found(result)
    assert names["distributed learning"].aliases == ["distribte learning"]
    assert {"ResNet-50", "ResNet-10", "unsupervised learning", "supervised learning"} <= set(names)
    spelling = [(d.severity, d.line) for d in result.diagnostics if d.code == "term-spelling"]
    assert spelling == [("info", 5)]


def test_one_note_per_deck_with_that_deck_and_its_file(tmp_path):
    files = []
    for name, deck in (("a.md", "Vision"), ("b.md", "Graphics")):
        path = tmp_path / name
        asked = "- FID란 무엇인가요?\n\n\t- 분포 사이의 거리.\n"
        path.write_text(f"---\ndeck: {deck}\n---\n" + QA + asked)
        files.append(read(path))
    terms = [n for n in collect([tmp_path]).notes if isinstance(n, TermNote)]
    assert [(n.term, n.deck, n.source.path, n.source.line) for n in terms] == [
        ("FID", "Vision", files[0].head.display, 6),
        ("FID", "Graphics", files[1].head.display, 6),
    ]
    assert terms[1].tags == files[1].head.tags


# --- definitions from the notes and the glossary ---------------------------------------------
SECTION = (
    "## 용어\n\n- **FID** — 두 이미지 분포의 거리\n\n"
    + QA + "- FID는 어떻게 쓰나요?\n\n\t- FID가 낮으면 좋아요.\n"
)  # fmt: skip


def test_glossary_section_definitions_feed_in(tmp_path):
    fid = by_name(terms_of(tmp_path, SECTION))["FID"]
    assert fid.definition == "두 이미지 분포의 거리"
    assert fid.source.line == 3
    assert [c.line for c in fid.context] == [9]  # the answer; the question is listed apart
    assert fid.questions == ["FID는 어떻게 쓰나요?"]


def test_glossary_file_overrides_definitions_and_adds_aliases(tmp_path):
    result = terms_of(
        tmp_path,
        SECTION + "- 다른 지표는요?\n\n\t- 키워드 : Inceptation score를 검색해보세요.\n",
        "terms:\n  FID: 프레셰 인셉션 거리\n"
        "  Inception Score:\n    aliases: [Inceptation score]\n    definition: 생성 품질 지표\n",
    )
    names = by_name(result)
    assert names["FID"].definition == "프레셰 인셉션 거리"
    assert names["Inception Score"].aliases == ["Inceptation score"]
    assert names["Inception Score"].definition == "생성 품질 지표"
    assert "Inceptation score" not in names


def test_glossary_ignore_and_unused_terms(tmp_path):
    result = terms_of(
        tmp_path,
        QA + "- 평가는요?\n\n\t- 키워드 : FID, EMD를 검색해보세요.\n",
        "terms:\n  CycleGAN: 짝 없는 이미지 변환\nignore: [FID]\n",
    )
    assert set(found(result)) == {"EMD"} and result.terms == []  # EMD is not defined
    assert [d.code for d in result.diagnostics] == ["term-undefined"]
    diagnostics = collect([tmp_path / "notes.md"]).diagnostics
    glossary = [(d.code, d.line) for d in diagnostics if d.path.endswith("glossary.yaml")]
    assert glossary == [("term-unused", 2)]


# --- glossary errors -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "line", "says"),
    [
        ("terms:\n  FID:\n    aliases: [a, b\n  GAN: x\n", 4, "not valid YAML"),
        ("terms:\n  FID:\n    definition: ok\n  GAN:\n    aliases: 3\n", 5, "GAN.aliases"),
        ("terms:\n  GAN:\n    definition: [1, 2]\n", 3, "GAN.definition"),
        ("terms:\n  ViT:\n    alias: [x]\n", 3, "unknown field"),
        ("terms:\n  GAN: a\n  GANs: b\n", 3, "already listed as 'GAN'"),
        ("terms:\n  GAN: a\nignore: [task, 3]\n", 3, "ignore"),
        ("term:\n  GAN: a\n", 1, "unknown key 'term'"),
        ("- a\n- b\n", 1, "must be a mapping"),
    ],
)
def test_glossary_errors_name_the_file_and_line(workdir, text, line, says):
    folder = workdir / "notes"
    folder.mkdir()
    (folder / "glossary.yaml").write_text(text, encoding="utf-8")
    _, problems = load_glossary(Path("notes"))
    assert [(p.severity, p.path, p.line) for p in problems] == [
        ("error", "notes/glossary.yaml", line)
    ]
    assert says in problems[0].message


def test_glossary_keeps_its_good_entries_when_one_is_bad(workdir):
    (workdir / "glossary.yml").write_text(
        "terms:\n  FID: ok\n  GAN:\n    aliases: 3\n  CNN:\n    aliases: ConvNet\n"
        "ignore: [task, 3]\n",
        encoding="utf-8",
    )
    glossary, problems = load_glossary(workdir)
    assert glossary is not None and len(problems) == 2
    assert [(t.name, t.aliases, t.line) for t in glossary.terms] == [
        ("FID", (), 2), ("CNN", ("ConvNet",), 5)
    ]  # fmt: skip
    assert glossary.ignore == ["task"]


def test_no_glossary_is_no_problem(tmp_path):
    assert load_glossary(tmp_path) == (None, [])
