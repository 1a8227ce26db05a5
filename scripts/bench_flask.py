#!/usr/bin/python3
"""The Flask side of the HTTP comparison in `npm run bench` (scripts/bench.ts); a benchmark tool
only. Debian's python3-flask + python3-sklearn, run with /usr/bin/python3:

  /usr/bin/python3 scripts/bench_flask.py --model model.pkl --port 5005

Loads the model pickled by `bench_reference.py train --model-out` once, then answers
POST /prediction with the app's JSON body { "rows": [{ corporation, lastmonth_activity,
lastyear_activity, number_of_employees }, ...] } as { "predictions": [{ corporation,
probability, exited }] } — the usual Flask model server: app.run(threaded=True) (Werkzeug, which
closes the connection after every response), rows turned into a NumPy array, predict_proba.
GET /health answers "ok"; GET /count says how many predictions were answered (the bench checks
the load generator's count against it). Binds 127.0.0.1 only.
"""
import argparse
import logging
import pickle
import threading

import numpy as np
from flask import Flask, jsonify, request

p = argparse.ArgumentParser()
p.add_argument("--model", required=True)
p.add_argument("--port", type=int, required=True)
args = p.parse_args()

with open(args.model, "rb") as fh:
    saved = pickle.load(fh)
MODEL = saved["model"]
FEATURES = saved["features"]

served = 0
lock = threading.Lock()

app = Flask(__name__)
logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no access log per request


@app.get("/health")
def health():
    return "ok"


@app.get("/count")
def count():
    return jsonify({"served": served})


@app.post("/prediction")
def prediction():
    global served
    body = request.get_json(force=True, silent=True)
    rows = body.get("rows") if isinstance(body, dict) else None
    if not isinstance(rows, list) or not rows:
        return jsonify({"error": {"code": "unprocessable:body", "message": "send { rows: [...] }"}}), 422
    try:
        X = np.array([[float(r[f]) for f in FEATURES] for r in rows], dtype=np.float64)
    except (KeyError, TypeError, ValueError) as e:
        return jsonify({"error": {"code": "unprocessable:rows", "message": str(e)}}), 422
    proba = MODEL.predict_proba(X)[:, 1]
    out = jsonify(
        {
            "predictions": [
                {"corporation": r.get("corporation"), "probability": float(pr), "exited": int(pr >= 0.5)}
                for r, pr in zip(rows, proba)
            ]
        }
    )
    with lock:
        served += 1
    return out


if __name__ == "__main__":
    app.run(host="127.0.0.1", port=args.port, threaded=True, debug=False, use_reloader=False)
