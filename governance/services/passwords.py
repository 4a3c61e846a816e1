"""Password hashing with Argon2 (pwdlib's recommended parameters)."""

from __future__ import annotations

from pwdlib import PasswordHash

MIN_PASSWORD_LENGTH = 12
_hasher = PasswordHash.recommended()
# Checked against when there is no account, so a wrong address takes as long as a wrong password.
_DUMMY_HASH = _hasher.hash("no account has this password")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def password_matches(password: str, stored_hash: str | None) -> bool:
    """Whether ``password`` matches; with no stored hash, spends the same time and says no."""
    if stored_hash is None:
        _hasher.verify(password, _DUMMY_HASH)
        return False
    return _hasher.verify(password, stored_hash)


def password_problem(password: str) -> str | None:
    """Why a new password is refused, in words; None when it will do."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"A password needs at least {MIN_PASSWORD_LENGTH} characters (this one has {len(password)})."
    return None
