"""make messages: extract translatable strings into each mechanism's catalog and list gaps."""

from zhucun.core.catalogs import update

missing = update()
for name, ids in sorted(missing.items()):
    print(f"{name}.po: {len(ids)} untranslated")
    for msgid in ids:
        print(f"  {msgid}")
