"""The claims of a text the analyse tests write, and the one claim of a given value among them."""

from claimledger.records import Article


def claims(nlp, text: str, published: str = "2022-06-14") -> list:
    return nlp(Article(text=text, published=published)).claims


def by_value(cs: list, value):
    (c,) = [c for c in cs if c.quantity.value == value]
    return c
