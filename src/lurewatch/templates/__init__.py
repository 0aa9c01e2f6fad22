"""Standardised messages: near-duplicate detection over message text at platform scale.

Pipeline: `normalize` (placeholders for names, numbers, URLs, handles) → `shingles` (character
4-grams, hashed) → `minhash` (vectorised NumPy, datasketch's affine32 scheme) → `lsh` (banding,
tuned for recall at Jaccard ≥ 0.7) → exact Jaccard verification of every candidate → clusters
(union-find), in `index.TemplateIndex`. Everything here is pure: no store, no CLI, no settings.
"""
