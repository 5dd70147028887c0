"""Verifies the DKIM signature of one message with dkimpy (Debian's python3-dkim), an implementation
independent of the one that signed it. The public key is handed in instead of looked up in DNS.

usage: verify.py MESSAGE_FILE TXT_RECORD
Prints one JSON object: {"verified": bool, "name": the DNS name asked for, "tags": the signature's tags}.
Exit code 0 when the signature verifies, 1 when it does not.
"""
import json
import sys

import dkim


def main():
    path, record = sys.argv[1], sys.argv[2]
    with open(path, "rb") as f:
        message = f.read()
    asked = []

    def dnsfunc(name, timeout=5):
        asked.append(name.decode() if isinstance(name, bytes) else name)
        return record.encode()

    verifier = dkim.DKIM(message)
    try:
        verified = bool(verifier.verify(dnsfunc=dnsfunc))
        error = None
    except dkim.DKIMException as e:
        verified, error = False, str(e)
    tags = {}
    for name, value in verifier.headers:
        if name.lower() == b"dkim-signature":
            parsed = dkim.util.parse_tag_value(value)
            tags = {k.decode(): v.decode() for k, v in parsed.items()}
            break
    print(json.dumps({"verified": verified, "error": error, "name": asked[0] if asked else None, "tags": tags}))
    sys.exit(0 if verified else 1)


main()
