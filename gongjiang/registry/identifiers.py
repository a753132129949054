"""A person's or teacher's ID number and phone as stored: keyed hash (look-ups), encrypted (reveal
with a purpose) and masked (every list). Not a service: it changes no row by itself."""

from __future__ import annotations

from gongjiang.core.pii import encrypt, keyed_hash, mask_id_number, mask_phone

from .models import Person, Teacher
from .validators import phone_clean, resident_id_parse


def set_identifiers(record: Person | Teacher, *, id_number: str, phone: str) -> None:
    """Fill the hashed, encrypted and masked identifier fields of an unsaved record (no audit: the
    caller saves and audits it, or bulk-loads demo data)."""
    parsed = resident_id_parse(id_number)
    record.id_number_hash = keyed_hash(parsed.number)
    record.id_number_encrypted = encrypt(parsed.number)
    record.id_number_masked = mask_id_number(parsed.number)
    clean_phone = phone_clean(phone)
    record.phone_encrypted = encrypt(clean_phone)
    record.phone_masked = mask_phone(clean_phone)
    if isinstance(record, Person):
        record.birth_date = parsed.birth_date
        record.sex = parsed.sex
