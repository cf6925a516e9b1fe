"""`clinic.vcf`: the clinic as a contact card, for "save to contacts" on a phone.

vobject writes the vCard 3.0 text (escaping, line folding, CRLF), from the same validated clinic
data as every page, so the saved number is the number on the page.
"""

from __future__ import annotations

import vobject

from healthsite.content.clinic import Clinic

_TEL_TYPES = {
    "main": ["WORK", "VOICE", "PREF"],
    "appointments": ["WORK", "VOICE"],
    "fax": ["WORK", "FAX"],
}


def clinic_vcard(clinic: Clinic, site_url: str) -> bytes:
    """The clinic's card: name, numbers, email, address and web address."""
    card = vobject.vCard()
    card.add("fn").value = clinic.name
    card.add("n").value = vobject.vcard.Name(family="", given="")
    card.add("org").value = [clinic.name]
    for label, phone in clinic.phones.items():
        tel = card.add("tel")
        tel.value = phone.e164
        tel.type_param = _TEL_TYPES[label]
    if clinic.meta.email:
        email = card.add("email")
        email.value = clinic.meta.email
        email.type_param = "INTERNET"
    address = clinic.meta.address
    adr = card.add("adr")
    adr.value = vobject.vcard.Address(
        street=address.street,
        city=address.locality,
        region=address.region,
        code=address.postal_code,
        country=address.country,
    )
    adr.type_param = "WORK"
    card.add("url").value = site_url
    return card.serialize().encode("utf-8")
