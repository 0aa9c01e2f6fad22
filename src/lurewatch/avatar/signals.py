"""`avatar.*` evidence: what a checked profile photo says, in words an analyst can verify.

Pure: an `AvatarResult` (and the reuse / intelligence matches found for it) in, `Evidence` out.
"""

from __future__ import annotations

from lurewatch.avatar.checker import AvatarResult
from lurewatch.avatar.index import PhotoMatch
from lurewatch.evidence import Evidence
from lurewatch.signals.registry import SignalSpec, register

SYNTHETIC = "avatar.synthetic_face"
REUSED = "avatar.reused_photo"
INTEL = "avatar.intel_match"
GENERATOR_METADATA = "avatar.generator_metadata"
ALIGNED = "avatar.aligned_face"
NO_FACE = "avatar.no_face"
SEVERAL_FACES = "avatar.several_faces"
EDITED = "avatar.edited"
STUDIO = "avatar.studio_look"
UNREADABLE = "avatar.unreadable"

register(
    SignalSpec(
        SYNTHETIC,
        ("account",),
        "The profile photo looks machine-generated (synthetic-face CNN score; weak: ROC-AUC ~0.78, TPR 16% at 1% FPR on held-out StyleGAN1).",
        0.3,
    ),
    SignalSpec(
        REUSED, ("account",), "The same or a near-same photo is used by other accounts.", 0.7
    ),
    SignalSpec(
        INTEL, ("account",), "The photo matches an avatar hash received as intelligence.", 0.9
    ),
    SignalSpec(
        GENERATOR_METADATA,
        ("account",),
        "The image file carries metadata written by an image generator.",
        0.8,
    ),
    SignalSpec(
        ALIGNED,
        ("account",),
        "The eyes sit exactly where face generators put them (FFHQ alignment).",
        0.25,
    ),
    SignalSpec(NO_FACE, ("account",), "No face found in the profile photo (rough detector).", 0.1),
    SignalSpec(
        SEVERAL_FACES, ("account",), "Several faces in the profile photo (rough detector).", 0.05
    ),
    SignalSpec(EDITED, ("account",), "The photo file names editing software.", 0.1),
    SignalSpec(STUDIO, ("account",), "Plain studio / catalogue backdrop around the subject.", 0.1),
    SignalSpec(
        UNREADABLE, ("account",), "The profile photo could not be checked (reason given).", 0.0
    ),
)

# Below this the synthetic score is not reported as account evidence: on generators it never saw
# the detector is weak (docs/avatar.md), so only its confident end is worth a reviewer's attention.
# 0.8 for the descriptor + residual model flags 0.5% of held-out real photos (held-out faces of
# the generators it was trained on: StyleGAN1 40%, StyleGAN2 91%, Stable Diffusion 2.1 75%).
SYNTHETIC_REPORT_MIN = 0.8

_FEATURE_WORDS = {
    "spec": "noise power spectrum",
    "peak": "periodic upsampling peaks",
    "cooc": "fine noise texture",
    "cross": "noise shared across colour channels",
    "res": "noise level",
    "spam": "fine texture",
    "clip": "clipped highlights / shadows",
    "lum": "brightness distribution",
    "cb": "colour spread",
    "cr": "colour spread",
    "sat": "colour saturation",
}


def _words(feature: str) -> str:
    return _FEATURE_WORDS.get(feature.split("_", 1)[0], feature)


def synthetic_evidence(result: AvatarResult, report_min: float = 0.0) -> list[Evidence]:
    if result.score is None or result.score < report_min:
        return []
    drivers = [_words(name) for name, c in result.top_features if c > 0]
    why = (
        f" (driven by: {', '.join(dict.fromkeys(drivers))})"
        if drivers and result.score >= 0.5
        else ""
    )
    return [
        Evidence(
            SYNTHETIC,
            round(min(1.0, max(0.0, result.score)), 4),
            f"Synthetic-face score {result.score:.2f}: probability that the photo was made by a face "
            f"generator{why}. Trained on three generators and weaker on others: a lead, not proof.",
            values={
                "score": round(result.score, 4),
                "model": result.model,
                "top_features": result.top_features,
            },
        )
    ]


def reuse_evidence(
    matches: list[PhotoMatch], intel: list[tuple[str, int]] | None = None
) -> list[Evidence]:
    out: list[Evidence] = []
    if matches:
        n = len(matches)
        shown = ", ".join(m.key for m in matches[:5]) + (" …" if n > 5 else "")
        out.append(
            Evidence(
                REUSED,
                min(1.0, 0.6 + 0.1 * n),
                f"The same photo is used by {n} other account{'s' if n != 1 else ''}: {shown}.",
                quote=shown,
                values={
                    "accounts": [m.key for m in matches],
                    "distances": [m.distance for m in matches],
                    # "image": whole-image keys; "face": the aligned face region only
                    "matched_by": [m.via for m in matches],
                },
            )
        )
    if intel:
        out.append(
            Evidence(
                INTEL,
                0.95,
                f"The photo matches {len(intel)} avatar hash{'es' if len(intel) != 1 else ''} received as intelligence.",
                quote=intel[0][0],
                values={"hashes": [h for h, _ in intel], "distances": [d for _, d in intel]},
            )
        )
    return out


def cue_evidence(result: AvatarResult) -> list[Evidence]:
    out: list[Evidence] = []
    if result.generator_hints:
        strong = any("c2pa" not in h.lower() for h in result.generator_hints)
        out.append(
            Evidence(
                GENERATOR_METADATA,
                0.9 if strong else 0.3,
                "The image file carries generator or provenance metadata: "
                + "; ".join(result.generator_hints)
                + ".",
                values={"hints": list(result.generator_hints)},
            )
        )
    f = result.faces
    if f is not None and f.faces >= 0:
        if f.faces == 0:
            out.append(
                Evidence(
                    NO_FACE,
                    0.2,
                    "No frontal face found in the photo (the detector misses turned, covered or very small faces).",
                )
            )
        elif f.faces > 1:
            out.append(
                Evidence(
                    SEVERAL_FACES,
                    0.1,
                    f"{f.faces} faces found in the photo (a profile photo usually shows one person).",
                )
            )
        if f.aligned and f.eyes is not None:
            (lx, ly), (rx, ry) = f.eyes
            out.append(
                Evidence(
                    ALIGNED,
                    0.4,
                    "The eyes sit exactly where FFHQ-trained face generators put them "
                    f"(left {lx:.2f},{ly:.2f}; right {rx:.2f},{ry:.2f} of the frame); ordinary photos are rarely framed this precisely.",
                    values={"eyes": [[round(lx, 3), round(ly, 3)], [round(rx, 3), round(ry, 3)]]},
                )
            )
    if result.editing_software:
        out.append(
            Evidence(
                EDITED,
                0.15,
                f"The file says it was edited with {result.editing_software}.",
                quote=result.editing_software,
            )
        )
    b = result.background
    if b is not None and b.uniform:
        out.append(
            Evidence(
                STUDIO,
                0.15,
                f"Plain, uniform backdrop (border variation {b.border_std:.1f}/255): a studio or catalogue look, common in stock photos.",
                values={
                    "border_std": round(b.border_std, 2),
                    "border_edge": round(b.border_edge, 2),
                },
            )
        )
    return out


def error_evidence(reason: str, photo: str) -> Evidence:
    return Evidence(
        UNREADABLE, 0.0, f"The profile photo was not checked: {reason}.", quote=photo[:200]
    )


def evidence_for(
    result: AvatarResult,
    matches: list[PhotoMatch] | None = None,
    intel: list[tuple[str, int]] | None = None,
    synthetic_min: float = 0.0,
) -> list[Evidence]:
    """Every avatar evidence for one checked photo (errors give one zero-strength item)."""
    if result.error is not None:
        return [error_evidence(result.error, result.id)]
    return (
        synthetic_evidence(result, synthetic_min)
        + reuse_evidence(matches or [], intel)
        + cue_evidence(result)
    )
