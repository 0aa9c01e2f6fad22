"""Account features that mean the same on every platform: the same function in training and `check`.

Every feature is computed from the `Account` record only (never from a dataset's own columns).
A feature enters the shipped model only if it points the same way on every shared account set
where it can be measured (`docs/evaluation.md`, "direction per dataset"): a pattern that only
one kind of fake shows does not carry over to another kind. That rule, and what is known of
other fakes, leaves out:

- post counts (`log_posts`, `no_posts`, `posts_per_day`): bought followers and throw-away
  Instagram fakes never post, but social spambots post a lot, so "many posts = genuine" learned
  from the shared sets is wrong on spambots;
- digits in the username (`username_digits`): more digits means fake on Instagram, genuine on
  the Cresci Twitter set; the character entropy of the handle agrees on both;
- username length and name/username similarity: no signal on either set.

They stay computable (the previous model version and the experiments read them by name).

Unknown values are None, not zero: the scorer puts them at the training mean, so they move
nothing (a LinkedIn export without a post count has not "never posted").
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime
from difflib import SequenceMatcher

from lurewatch.records import Account

# Ages beyond 20 years say nothing more, and an observation time far after the data was
# collected (an old archive scored today) must not push every account to the end of the scale.
MAX_AGE_DAYS = 20 * 365.25

ACCOUNT_FEATURES: dict[str, str] = {
    "log_followers": "number of followers or connections (log)",
    "log_following": "number of accounts followed (log)",
    "follow_ratio": "followers per account followed (log ratio)",
    "log_posts": "number of posts (log)",
    "no_posts": "has never posted",
    "posts_per_day": "posts per day of account age (log)",
    "no_photo": "has no profile photo",
    "bio_missing": "has no bio or 'about' text",
    "log_bio_len": "length of the bio (log)",
    "username_digits": "share of digits in the username",
    "username_long": "username longer than 12 characters",
    "username_entropy": "character entropy of the username (bits)",
    "name_username_overlap": "how much of the username the display name spells",
    "log_age_days": "account age at observation time (log days)",
}
ACCOUNT_FEATURE_WORDS = ACCOUNT_FEATURES

# The previous shipped model (account-lr-v1) read these; kept so `lurewatch eval` can rebuild it.
V1_FEATURES: tuple[str, ...] = (
    "log_followers",
    "log_following",
    "log_posts",
    "follow_ratio",
    "no_posts",
    "no_photo",
    "bio_missing",
    "log_bio_len",
    "username_digits",
    "username_long",
)
# The shipped model: only features whose direction agrees on every shared set.
V2_FEATURES: tuple[str, ...] = (
    "log_followers",
    "log_following",
    "follow_ratio",
    "no_photo",
    "bio_missing",
    "log_bio_len",
    "username_entropy",
    "log_age_days",
)

# The direction each v2 feature points on every shared set (+1: higher means fake). Training
# drops a feature whose fitted weight comes out against it: a weight that only cancels another
# feature on one platform (digits vs entropy on Twitter) would not carry over.
DIRECTION: dict[str, int] = {
    "log_followers": -1,
    "log_following": +1,
    "follow_ratio": -1,
    "log_posts": -1,
    "no_posts": +1,
    "posts_per_day": -1,
    "no_photo": +1,
    "bio_missing": +1,
    "log_bio_len": -1,
    "username_entropy": +1,
    "name_username_overlap": +1,
    "log_age_days": -1,
}


def _log(n: int | None) -> float | None:
    return None if n is None else math.log1p(max(n, 0))


def entropy_bits(text: str) -> float:
    """Shannon entropy of the characters (case-folded): generated handles mix more symbols."""
    if not text:
        return 0.0
    counts = Counter(text.lower())
    n = len(text)
    return -sum(c / n * math.log2(c / n) for c in counts.values())


def name_username_overlap(name: str | None, username: str | None) -> float | None:
    """Longest common run of letters between name and handle, as a share of the shorter one."""
    if not name or not username:
        return None
    a = re.sub(r"[^a-z]", "", name.lower())
    b = re.sub(r"[^a-z]", "", username.lower())
    if not a or not b:
        return 0.0
    run = SequenceMatcher(None, a, b, autojunk=False).find_longest_match(0, len(a), 0, len(b))
    return run.size / min(len(a), len(b))


def observation_time(account: Account, now: datetime | None = None) -> datetime:
    """When the counts were read: `observed_at`, else `now` (a live check reads them now).

    The clock is read to the day (UTC midnight): the same record scores the same all day, on
    every engine (local, web, Spark executors), whatever the second it was scored at."""
    if account.observed_at is not None:
        return account.observed_at
    return now or datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)


def account_age_days(account: Account, now: datetime | None = None) -> float | None:
    """Days between creation and observation, in [0, 20 years]; None without a creation date."""
    if account.created_at is None:
        return None
    seen = observation_time(account, now)
    return min(max((seen - account.created_at).total_seconds() / 86400.0, 0.0), MAX_AGE_DAYS)


def feature_values(account: Account, now: datetime | None = None) -> dict[str, float | None]:
    """Every catalogued feature of one account (None = unknown)."""
    followers = account.followers if account.followers is not None else account.connections
    following = account.following  # connections are mutual: they say nothing about following
    about = (account.about or "").strip()
    username = account.username or ""
    digits = sum(ch.isdigit() for ch in username)
    log_followers, log_following = _log(followers), _log(following)
    age = account_age_days(account, now)
    return {
        "log_followers": log_followers,
        "log_following": log_following,
        "follow_ratio": None
        if log_followers is None or log_following is None
        else log_followers - log_following,
        "log_posts": _log(account.posts),
        "no_posts": None if account.posts is None else float(account.posts == 0),
        "posts_per_day": None
        if account.posts is None or age is None
        else math.log1p(max(account.posts, 0) / max(age, 1.0)),
        "no_photo": None if account.has_photo is None else float(not account.has_photo),
        "bio_missing": 1.0 if not about else 0.0,
        "log_bio_len": math.log1p(len(about)),
        "username_digits": digits / len(username) if username else 0.0,
        "username_long": 1.0 if len(username) > 12 else 0.0,
        "username_entropy": entropy_bits(username) if username else None,
        "name_username_overlap": name_username_overlap(account.name, account.username),
        "log_age_days": None if age is None else math.log1p(age),
    }


def account_vector(
    account: Account, names: Sequence[str] = V2_FEATURES, now: datetime | None = None
) -> list[float | None]:
    """The named features, in order (the model's `params["features"]`)."""
    values = feature_values(account, now)
    return [values[n] for n in names]


def check_names(names: Sequence[str]) -> list[str]:
    """Names not in the catalogue (an artifact from a newer version, or a typo)."""
    return [n for n in names if n not in ACCOUNT_FEATURES]
