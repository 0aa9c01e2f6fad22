"""The catalogue of every signal lurewatch can emit; `lurewatch signals` prints it.

Each detector module registers the signals it emits at import time, with the sentence an
analyst reads. A contract test checks that every emitted evidence code is registered.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class SignalSpec:
    code: str  # "<family>.<name>", e.g. "lure.paid_collaboration"
    applies_to: tuple[str, ...]  # record kinds: "message", "account"
    description: str
    weight: float = 0.5  # rule-scoring weight in [0, 1]: how much one full-strength hit alone means

    @property
    def family(self) -> str:
        return self.code.split(".", 1)[0]


_REGISTRY: dict[str, SignalSpec] = {}


def register(*specs: SignalSpec) -> None:
    for spec in specs:
        if "." not in spec.code:
            raise ValueError(f"signal code {spec.code!r} must look like 'family.name'")
        if not 0.0 <= spec.weight <= 1.0:
            raise ValueError(
                f"The 'weight' of signal {spec.code} must be a float in [0, 1]. Got {spec.weight} instead."
            )
        _REGISTRY[spec.code] = spec


def get(code: str) -> SignalSpec | None:
    return _REGISTRY.get(code)


def all_signals() -> list[SignalSpec]:
    from lurewatch.signals import catalog  # noqa: F401  (imports register every detector's signals)

    return sorted(_REGISTRY.values(), key=lambda s: s.code)
