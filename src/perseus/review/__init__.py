"""Review packs: what changed between two versions of a published artefact.

Each differ returns a list of `Change` records (plus, for texts, a word diff); `pack`
resolves references, picks the differ and renders Markdown or JSON.
"""
