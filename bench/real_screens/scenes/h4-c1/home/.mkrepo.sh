#!/bin/bash
set -e
git config --global user.name "Jules Marchetti"
git config --global user.email "jules@quillmark.example"
git config --global init.defaultBranch main
git config --global core.pager cat
git config --global color.ui auto
mkdir -p src/quillmark && cd src/quillmark
git init -q .
c() { # author email date message...
  local an="$1" ae="$2" d="$3"; shift 3
  GIT_AUTHOR_NAME="$an" GIT_AUTHOR_EMAIL="$ae" GIT_COMMITTER_NAME="$an" GIT_COMMITTER_EMAIL="$ae" \
  GIT_AUTHOR_DATE="$d" GIT_COMMITTER_DATE="$d" git commit -q "$@"
}
t() { # tagger date tag message
  GIT_COMMITTER_NAME="$1" GIT_COMMITTER_EMAIL="$2" GIT_COMMITTER_DATE="$3" git tag -a "$4" -m "$5"
}
mkdir -p quillmark tests docs
printf '# quillmark\n\nMarkdown to print-ready PDF.\n' > README.md
printf 'from .render import render\n__version__ = "1.2.0"\n' > quillmark/__init__.py
printf 'def render(src, out):\n    raise NotImplementedError\n' > quillmark/render.py
printf '[project]\nname = "quillmark"\nversion = "1.2.0"\n' > pyproject.toml
git add -A; c "Odile Fenwick" "odile@quillmark.example" "2026-08-28T10:12:44+02:00" -m "Initial import of quillmark renderer"

printf 'def build_toc(headings, depth=3):\n    return [h for h in headings if h.level <= depth]\n' > quillmark/toc.py
printf 'import argparse\np = argparse.ArgumentParser()\np.add_argument("--toc", action="store_true")\n' > quillmark/cli.py
git add -A; c "Tomasz Brekke" "tomasz@quillmark.example" "2026-09-02T16:40:03+02:00" -m "Add --toc flag for table of contents"

printf 'def load_fonts(cfg):\n    return cfg.get("fonts", {})\n' > quillmark/fonts.py
printf '[fonts]\nbody = "Source Serif"\nmono = "Iosevka"\n' > docs/quillmark.example.toml
sed -i 's/1.2.0/1.3.0/' quillmark/__init__.py pyproject.toml
git add -A; c "Hana Okonkwo" "hana@quillmark.example" "2026-09-05T09:05:51+02:00" -m "Support custom fonts via quillmark.toml"
t "Hana Okonkwo" "hana@quillmark.example" "2026-09-05T09:30:00+02:00" v1.3.0 "Release 1.3.0: custom fonts and --toc"

printf 'def parse_front_matter(text):\n    if not text.strip():\n        return {}\n    return dict(l.split(":", 1) for l in text.splitlines())\n' > quillmark/frontmatter.py
sed -i 's/1.3.0/1.3.1/' quillmark/__init__.py pyproject.toml
git add -A; c "Jules Marchetti" "jules@quillmark.example" "2026-09-11T18:22:10+02:00" -m "Fix crash on empty front matter (#198)"
t "Jules Marchetti" "jules@quillmark.example" "2026-09-11T18:35:00+02:00" v1.3.1 "Hotfix 1.3.1: crash on empty front matter"

mkdir -p quillmark/hyph
printf 'a1b\nab1c\n' > quillmark/hyph/hyph_es.dic
printf 'o1d\nprz1e\n' > quillmark/hyph/hyph_pl.dic
git add -A; c "Tomasz Brekke" "tomasz@quillmark.example" "2026-09-17T11:48:36+02:00" -m "Add Spanish and Polish hyphenation dictionaries"

cat > quillmark/footnotes.py <<'PY'
class FootnoteCounter:
    def __init__(self, state):
        self.state = state

    def next(self):
        self.state.footnote_no += 1
        return self.state.footnote_no
PY
cat > quillmark/state.py <<'PY'
from dataclasses import dataclass


@dataclass
class DocumentState:
    page: int = 1
    footnote_no: int = 0
PY
cat > tests/test_footnotes.py <<'PY'
from quillmark.footnotes import FootnoteCounter
from quillmark.state import DocumentState


def test_counter_survives_page_break():
    s = DocumentState()
    c = FootnoteCounter(s)
    assert [c.next(), c.next()] == [1, 2]
    s.page += 1
    assert c.next() == 3
PY
sed -i 's/raise NotImplementedError/state = DocumentState()\n    raise NotImplementedError/' quillmark/render.py
git add -A; c "Hana Okonkwo" "hana@quillmark.example" "2026-09-22T14:07:31+02:00" -m "Fix footnote numbering restarting after a page break" -m "Footnotes were renumbered from 1 on every page when --page-notes was
off. The counter now lives in DocumentState instead of the page
layout, so it survives page breaks. Closes #212." -m "Reviewed-by: Tomasz Brekke <tomasz@quillmark.example>"

sed -i 's/1.3.1/1.4.0rc1/' quillmark/__init__.py pyproject.toml
git add -A; c "Jules Marchetti" "jules@quillmark.example" "2026-09-24T20:15:02+02:00" -m "Bump version to 1.4.0rc1"
t "Jules Marchetti" "jules@quillmark.example" "2026-09-24T20:20:00+02:00" v1.4.0-rc1 "Release candidate 1 for 1.4.0"

printf '## 1.4.0 (unreleased)\n- Spanish/Polish hyphenation\n- Footnote numbering fix (#212)\n' > CHANGELOG.md
git add -A; c "Odile Fenwick" "odile@quillmark.example" "2026-09-29T08:51:19+02:00" -m "Update CHANGELOG for 1.4.0"
git tag docs-preview HEAD~3
