"""Drives Meta's StopNCII client (python-threatexchange, unchanged) against a Takedown server.

Test-only, run by tests/stopncii_feed_test.cc with Debian's python3:
  hma_client.py PEERS BASE_URL KEY pull START PAGE_SIZE   every page, PAGE_SIZE records at a time
  hma_client.py PEERS BASE_URL KEY iter START             fetch_hashes_iter, as HMA calls it
  hma_client.py PEERS BASE_URL KEY feedback TYPE VALUE FEEDBACK [TAG...]
  hma_client.py PEERS BASE_URL KEY submit TYPE VALUE
Prints one JSON object. Exits 77 when the client's own dependencies (python3-requests,
python3-dacite) are missing.
"""

import json
import sys

sys.path.insert(0, sys.argv[1])
try:
    import requests
    from threatexchange.exchanges.clients.stopncii import api
except ImportError as missing:
    print(json.dumps({"missing": str(missing)}))
    sys.exit(77)


def page_json(page):
    return {
        "count": page.count,
        "nextPageToken": page.nextPageToken,
        "nextSetTimestamp": page.nextSetTimestamp,
        "hasMoreRecords": page.hasMoreRecords,
        "records": [
            {
                "lastModtimestamp": r.lastModtimestamp,
                "signalType": r.signalType.value,
                "hashValue": r.hashValue,
                "hashStatus": r.hashStatus.value,
                "caseNumbers": {k: v.value for k, v in r.caseNumbers.items()},
                "CSPFeedbacks": [
                    {"source": f.source, "feedbackValue": f.feedbackValue.value,
                     "tags": sorted(f.tags)}
                    for f in r.CSPFeedbacks
                ],
            }
            for r in page.hashRecords
        ],
    }


def main():
    base_url, key, command, args = sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5:]
    client = api.StopNCIIAPI(
        key, key,
        additional_function_keys={api.StopNCIIEndpoint.SubmitFeedback: key,
                                  api.StopNCIIEndpoint.SubmitHashes: key},
        base_url_override=base_url)
    out = {}
    try:
        if command == "pull":
            # fetch_hashes_iter's loop, with a page size of the test's choosing.
            pages, token, more = [], "", True
            while more:
                page = client.fetch_hashes(start_timestamp=int(args[0]), page_size=int(args[1]),
                                           next_page=token)
                pages.append(page_json(page))
                more, token = page.hasMoreRecords, page.nextPageToken or ""
            out["pages"] = pages
        elif command == "iter":
            out["pages"] = [page_json(p) for p in client.fetch_hashes_iter(int(args[0]))]
        elif command == "feedback":
            client.submit_feedback(api.StopNCIISignalType(args[0]), args[1],
                                   api.StopNCIICSPFeedbackValue(args[2]), set(args[3:]))
            out["submitted"] = True
        elif command == "submit":
            client.submit_hash(api.StopNCIISignalType(args[0]), args[1])
            out["submitted"] = True
    except requests.HTTPError as error:
        out["http_status"] = error.response.status_code
        out["body"] = error.response.text
    print(json.dumps(out))


main()
