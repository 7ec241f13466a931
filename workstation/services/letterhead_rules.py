"""Rules for what a letterhead and a signature block may hold: the clinic's details and logo, a clinician's
profession, registration, contact and signature image. They return problems, never raise.

Images are accepted only as PNG or JPEG, told by their first bytes (a name ending ".png" proves nothing),
and only up to 1 MB: ReportLab draws both natively, and a logo is a few kilobytes to a few hundred.
"""

from __future__ import annotations

import re
from dataclasses import replace

from workstation.letters.records import ClinicianProfile
from workstation.problems import Problem
from workstation.text import has_invisible_controls

IMAGE_MAX_BYTES = 1024 * 1024  # 1 MB; the database refuses more too (migration 0008)
_PNG = b"\x89PNG\r\n\x1a\n"
_JPEG = b"\xff\xd8\xff"
# Deliberately loose, as for patients (workstation.validation): these catch typing slips.
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")
_PHONE = re.compile(r"^\+?[0-9 ()\-.]{6,24}$")
# What a clinician's letter details may hold (the signature block: CLINICAL.md 9.1 header).
PROFILE_LIMITS = {"profession": 100, "registration_body": 50, "registration_number": 50, "phone": 50, "email": 200}


def image_kind(content: bytes) -> str | None:
    """ "png" or "jpeg" by the content's magic bytes, else None."""
    if content.startswith(_PNG):
        return "png"
    if content.startswith(_JPEG):
        return "jpeg"
    return None


def image_problem(field: str, content: bytes | None, what: str) -> Problem | None:
    """``content`` is None (no image), or a PNG or JPEG of at most 1 MB. ``what`` is "logo", "signature"."""
    if content is None:
        return None
    if image_kind(content) is None:
        return Problem(field, f"The {what} must be a PNG or JPEG image; this file is neither.")
    if len(content) > IMAGE_MAX_BYTES:
        size = len(content) / (1024 * 1024)
        return Problem(field, f"The {what} image is {size:.1f} MB; choose one of 1 MB or less.")
    return None


def text_problem(field: str, value: str, limit: int, *, one_line: bool = True) -> Problem | None:
    """At most ``limit`` characters, no invisible controls, and (``one_line``) no line breaks."""
    if len(value) > limit:
        return Problem(field, f"Limited to {limit} characters (this has {len(value)}).")
    if one_line and ("\n" in value or "\r" in value):
        return Problem(field, "Keep this on one line.")
    if has_invisible_controls(value):
        return Problem(field, "This contains invisible control characters; type it again.")
    return None


def email_problem(field: str, value: str, limit: int) -> Problem | None:
    found = text_problem(field, value, limit)
    if found is None and value and not _EMAIL.match(value):
        return Problem(field, "This does not look like an email address (name@example.org).")
    return found


def phone_problem(field: str, value: str, limit: int) -> Problem | None:
    found = text_problem(field, value, limit)
    if found is None and value and not _PHONE.match(value):
        return Problem(field, "A phone number has 6 to 24 digits, spaces, brackets or a leading +.")
    return found


def one_line(text: str) -> str:
    """``text`` with its line breaks and runs of white space made single spaces (a list column, a title)."""
    return " ".join(text.split())


def cleaned_profile(profile: ClinicianProfile) -> ClinicianProfile:
    """The details as stored: each text trimmed."""
    return replace(
        profile, profession=profile.profession.strip(), registration_body=profile.registration_body.strip(),
        registration_number=profile.registration_number.strip(), phone=profile.phone.strip(),
        email=profile.email.strip(),
    )  # fmt: skip


def profile_problems(profile: ClinicianProfile) -> list[Problem]:
    """Every problem with a clinician's letter details, each naming its field."""
    limits = PROFILE_LIMITS
    found = [
        Problem("profession", "Say what your profession is, for example Physiotherapist.")
        if not profile.profession else text_problem("profession", profile.profession, limits["profession"]),
        text_problem("registration_body", profile.registration_body, limits["registration_body"]),
        text_problem("registration_number", profile.registration_number, limits["registration_number"]),
        phone_problem("phone", profile.phone, limits["phone"]),
        email_problem("email", profile.email, limits["email"]),
        image_problem("signature", profile.signature, "signature"),
    ]  # fmt: skip
    return [problem for problem in found if problem is not None]
