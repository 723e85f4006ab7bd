"""Deliberately broken servers for the conformance suite's own mutation test.

`Harness` is an ASGI application around the sandbox. With no mutant it passes the sandbox's
answers through, re-signing every MeterData with a test EDP certificate and every
EmissionsReport with a test CAP certificate (so that records verify against the test trust
anchor, whatever the sandbox signs with). With a mutant (named after the case it targets) it
breaks exactly one requirement, as a faulty server would: before signing when the fault is
the server's data, after signing when the fault is tampering.
"""

from __future__ import annotations

import base64
import copy
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, unquote, urlencode

import orjson
from ib1.provenance import Record

from perseus.provenance import keys
from perseus.provenance.build import sign_report
from perseus.provenance.edp import sign_meter_data
from perseus.provenance.signer import member_signer
from perseus.provenance.vocabulary import CAP, EDP, FSP, METER, SANDBOX

CAP_URL = "https://directory.sandbox.example/member/cap"
EDP_URL = "https://directory.sandbox.example/member/edp"
FOREIGN = "synthetic-cafe-001-electricity"  # a source cap-office holds no permission for
FULL_TOKEN = "sandbox-token-cap-full"
CLIENT_TOKEN = "sandbox-token-cap-office"


@dataclass
class Pki:
    ca: keys.Issued
    edp: keys.Issued
    cap: keys.Issued
    fsp: keys.Issued

    @classmethod
    def create(cls) -> Pki:
        ca = keys.create_ca("sandbox")
        return cls(
            ca,
            keys.create_member(ca, member=EDP_URL, organisation="Conformance EDP Ltd", roles=[EDP]),
            keys.create_member(ca, member=CAP_URL, organisation="Conformance CAP Ltd", roles=[CAP]),
            keys.create_member(
                ca,
                member="https://directory.sandbox.example/member/bank",
                organisation="Conformance Bank plc",
                roles=[FSP],
            ),
        )

    @property
    def anchor(self) -> bytes:
        return self.ca.certificate_pem()


# --- requests and answers as the harness sees them -------------------------------------------------


@dataclass
class Request:
    path: str  # as sent, still percent-encoded
    query: dict[str, str]
    headers: dict[str, str]  # lower-case names

    @property
    def meter(self) -> bool:
        return self.path.startswith("/datasources/")


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self):
        try:
            return json.loads(self.body)
        except ValueError:
            return None

    def set_json(self, value, media_type: str | None = None) -> None:
        # orjson: a year of readings is re-encoded on every answer the broken servers rewrite.
        self.body = orjson.dumps(value)
        if media_type:
            self.headers["content-type"] = media_type


@dataclass
class Mutant:
    target: str  # the case it must fail, and the only MUST case
    request: Callable | None = None  # (Request) -> Request | Answer (an answer instead of the sandbox's)
    data: Callable | None = (
        None  # (Request, payload) -> None: MeterData / EmissionsReport / DataSources, before signing
    )
    signed: Callable | None = None  # (Request, payload, Pki) -> None: after signing
    answer: Callable | None = None  # (Request, Answer) -> None: any answer
    sign: Callable | None = None  # (payload, Pki) -> provenance: how to sign MeterData instead
    token: str = CLIENT_TOKEN  # the client the suite runs as (cap-full's list holds ids with `/`)


# --- helpers the mutants share ---------------------------------------------------------------------


def readings(payload) -> list[dict]:
    return payload.get("data", []) if isinstance(payload, dict) else []


def is_meter_data(payload) -> bool:
    return isinstance(payload, dict) and "location" in payload and "provenance" in payload


def is_report(payload) -> bool:
    return isinstance(payload, dict) and "provenance" in payload and "location" not in payload


def shifted(text: str, minutes: int) -> str:
    import datetime as dt

    instant = dt.datetime.fromisoformat(text.replace("Z", "+00:00")) + dt.timedelta(minutes=minutes)
    return instant.strftime("%Y-%m-%dT%H:%M:%SZ")


def encoded(step: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(step, separators=(",", ":")).encode()).decode()


def decoded(text: str) -> dict:
    return json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))


def tamper_first_origin(provenance: dict, change: Callable[[dict], None]) -> None:
    """Alter the first origin step of the outermost container after signing."""
    steps = provenance["steps"]
    for index, item in enumerate(steps):
        if isinstance(item, str) and decoded(item).get("type") == "origin":
            step = decoded(item)
            change(step)
            steps[index] = encoded(step)
            return
    raise AssertionError("no origin step to tamper with")


def problem(status: int, code: str) -> Answer:
    body = {
        "type": f"https://perseus.example.org/sandbox/#{code}",
        "title": code,
        "status": status,
        "detail": "deliberately broken server",
        "code": code,
    }
    return Answer(status, {"content-type": "application/problem+json"}, json.dumps(body).encode())


def with_token(request: Request, token: str) -> Request:
    request.headers["authorization"] = f"Bearer {token}"
    return request


def record_of(payload: dict, member: keys.Issued, assurance: dict | None = None) -> dict:
    """A consumption record of one origin step, signed by `member`."""
    data = readings(payload)
    period = {"from": min(r["from"] for r in data), "to": max(r["to"] for r in data)}
    record = Record(SANDBOX.trust_framework)
    record.add_step(
        {
            "type": "origin",
            "timestamp": max(r["takenAt"] for r in data),
            "sourceType": SANDBOX.source_type(METER),
            "perseus:scheme": {"meteringPeriod": period},
            "perseus:assurance": assurance or {"dataSource": SANDBOX.assurance("dataSource", "SmartMeter")},
        }
    )
    return record.sign(member_signer(member.key, [member.certificate])[0]).encoded()


def signed_by_cap(payload: dict, pki: Pki) -> dict:
    """The consumption signed by a carbon accounting provider's certificate (no EDP role)."""
    return record_of(payload, pki.cap)


def short_period(payload: dict, pki: Pki) -> dict:
    """The EDP's record of all readings but the last: its metering period ends half an hour early."""
    if len(readings(payload)) < 2:
        return sign_meter_data(payload, key=pki.edp.key, cert_chain=[pki.edp.certificate], cap=CAP_URL)["provenance"]
    cut = dict(payload, data=readings(payload)[:-1])
    return sign_meter_data(cut, key=pki.edp.key, cert_chain=[pki.edp.certificate], cap=CAP_URL)["provenance"]


def unsigned(payload: dict, pki: Pki) -> dict:
    """The EDP's steps without any signature block."""
    signed = sign_meter_data(payload, key=pki.edp.key, cert_chain=[pki.edp.certificate], cap=CAP_URL)["provenance"]
    return {
        "ib1:provenance": signed["ib1:provenance"],
        "origins": signed["origins"],
        "steps": [s for s in signed["steps"] if isinstance(s, str)],
    }


def odd_assurance(payload: dict, pki: Pki) -> dict:
    """The EDP's record with a data source the scheme's vocabulary does not have."""
    return record_of(payload, pki.edp, {"dataSource": f"{SANDBOX.scheme}/assurance/data-source/SmartishMeter"})


def first_entry_of(payload) -> dict:
    return payload["data"][0]


def _reading(index: int, change: Callable[[dict], None]):
    def mutate(request: Request, payload) -> None:
        if is_meter_data(payload) and len(readings(payload)) > abs(index) + 1:
            change(readings(payload)[index])

    return mutate


def _all_readings(change: Callable[[dict], None]):
    def mutate(request: Request, payload) -> None:
        if is_meter_data(payload):
            for reading in readings(payload):
                change(reading)

    return mutate


def _report(change: Callable[[dict], None]):
    def mutate(request: Request, payload) -> None:
        if is_report(payload) and payload.get("data"):
            change(payload)

    return mutate


def _swap(reading: dict) -> None:
    reading["from"], reading["to"] = reading["to"], reading["from"]


def _quarter(reading: dict) -> None:
    reading["from"], reading["to"] = shifted(reading["from"], 15), shifted(reading["to"], 15)


def _prepend(request: Request, payload) -> None:
    if is_meter_data(payload) and readings(payload):
        first = copy.deepcopy(readings(payload)[0])
        first["from"], first["to"] = shifted(first["from"], -30), shifted(first["to"], -30)
        first["cumulative"]["value"] = max(0.0, first["cumulative"]["value"] - first["energy"]["value"])
        payload["data"].insert(0, first)


def _repeat_last(request: Request, payload) -> None:
    if is_meter_data(payload) and readings(payload):
        payload["data"].append(copy.deepcopy(readings(payload)[-1]))


def _decode_slash(request: Request):
    """A server that decodes %2F before routing: /datasources/a/b/import matches no route, 404."""
    return problem(404, "unknown-path") if request.meter and "%2F" in request.path else request


def _to_omitted_fails(request: Request):
    if request.path in ("/emissions",) or request.meter:
        given = request.query.get("from", "")
        if given[:4].isdigit() and "to" not in request.query and "x-perseus-scenario" not in request.headers:
            return problem(500, "internal-error")
    return request


def _from_missing_400(request: Request):
    if (request.meter or request.path == "/emissions") and "from" not in request.query:
        return problem(400, "bad-request")
    return request


def _reversed_served(request: Request):
    q = request.query
    if "from" in q and "to" in q and q["to"] < q["from"]:
        q["from"], q["to"] = q["to"], q["from"]
    return request


def _loc_unnamed(request: Request, answer: Answer) -> None:
    if answer.status == 422:
        body = answer.json()
        for item in body.get("detail", []):
            item["loc"] = ["query"]
        answer.set_json(body)


def _drop_header(name: str, status: int):
    def mutate(request: Request, answer: Answer) -> None:
        if answer.status == status:
            answer.headers.pop(name, None)

    return mutate


def _heartbeat(change: Callable[[dict], None]):
    def mutate(request: Request, answer: Answer) -> None:
        if request.path == "/heartbeat" and answer.status == 200:
            body = answer.json()
            change(body)
            answer.set_json(body)

    return mutate


def _media_type(request: Request, answer: Answer) -> None:
    if request.path == "/heartbeat" and answer.status == 200:
        answer.headers["content-type"] = "text/plain; charset=utf-8"


def _no_credentials_served(request: Request):
    return with_token(request, CLIENT_TOKEN) if "authorization" not in request.headers else request


def _unknown_token_served(request: Request):
    known = {f"Bearer {t}" for t in (FULL_TOKEN, CLIENT_TOKEN, "sandbox-token-cap-expired")}
    sent = request.headers.get("authorization")
    return with_token(request, CLIENT_TOKEN) if sent is not None and sent not in known else request


def _foreign_served(request: Request):
    return with_token(request, FULL_TOKEN) if FOREIGN in request.path else request


def _unknown_source_400(request: Request):
    return problem(400, "bad-request") if "perseus-conformance-unknown" in request.path else request


def _unknown_measure_served(request: Request):
    if request.meter and request.path.endswith("/export"):
        request.path = request.path.removesuffix("/export") + "/import"
    return request


def _datasources(change: Callable[[list], None]):
    def mutate(request: Request, payload) -> None:
        if request.path == "/datasources" and isinstance(payload, dict):
            change(payload["data"])

    return mutate


def _lower_outcode(sources: list) -> None:
    sources[0]["location"]["ukPostcodeOutcode"] = sources[0]["location"]["ukPostcodeOutcode"].lower()


def _electricity_typed_gas(request: Request, payload) -> None:
    if is_meter_data(payload) and readings(payload) and readings(payload)[0].get("type") == "electricity":
        for reading in readings(payload):
            reading["type"] = "gas"


def _elsewhere(request: Request, payload) -> None:
    if is_meter_data(payload):
        payload["location"] = {
            "ukPostcodeOutcode": "EH1" if payload["location"]["ukPostcodeOutcode"] != "EH1" else "M1"
        }


def _cumulative_in_wh(reading: dict) -> None:
    if reading.get("type") == "electricity":
        reading["cumulative"]["unitCode"] = "WHR" if reading["energy"]["unitCode"] == "KWH" else "KWH"


def _tamper_meter(request: Request, payload, pki: Pki) -> None:
    if is_meter_data(payload) and readings(payload):
        tamper_first_origin(payload["provenance"], lambda step: step["perseus:scheme"].update(postcode="ZZ9"))


def _tamper_report(request: Request, payload, pki: Pki) -> None:
    if is_report(payload) and payload.get("data"):
        tamper_first_origin(payload["provenance"], lambda step: step.update(timestamp=shifted(step["timestamp"], -60)))


def _retitle_source(request: Request, payload, pki: Pki) -> None:
    if is_report(payload) and payload.get("sources"):
        payload["sources"][0]["datasets"][0]["title"] += " (edited after signing)"


def _outside_month(payload: dict) -> None:
    entry = copy.deepcopy(first_entry_of(payload))
    entry["from"], entry["to"] = "2001-01-01T00:00:00Z", "2001-02-01T00:00:00Z"
    payload["data"].append(entry)


def _two_months(payload: dict) -> None:
    """The first entry runs two months, where that still ends before it was calculated."""
    entry = first_entry_of(payload)
    year, month = int(entry["from"][:4]), int(entry["from"][5:7]) + 2
    year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
    end = f"{year:04d}-{month:02d}-01T00:00:00Z"
    if end <= entry["takenAt"]:
        entry["to"] = end


MUTANTS: dict[str, Mutant] = {
    m.target: m
    for m in (
        Mutant("API-01", answer=_heartbeat(lambda body: body.update(status="degraded"))),
        Mutant("API-02", answer=_heartbeat(lambda body: body.update(timestamp=shifted(body["timestamp"], -60)))),
        Mutant("API-03", answer=_media_type),
        Mutant("API-04", request=_to_omitted_fails),
        Mutant("API-05", request=_no_credentials_served),
        Mutant("API-06", request=_unknown_token_served),
        Mutant("API-07", request=_from_missing_400),
        Mutant("API-08", request=_reversed_served),
        Mutant("API-09", answer=_drop_header("retry-after", 202)),
        Mutant("API-10", answer=_drop_header("www-authenticate", 401)),
        Mutant("API-11", answer=_loc_unnamed),
        Mutant("EDP-01", data=_datasources(_lower_outcode)),
        Mutant("EDP-02", data=_datasources(lambda sources: sources.append(copy.deepcopy(sources[0])))),
        Mutant("EDP-03", request=_decode_slash, token=FULL_TOKEN),
        Mutant("EDP-04", data=_electricity_typed_gas),
        Mutant("EDP-05", data=_elsewhere),
        Mutant("EDP-20", data=_reading(3, lambda r: r["energy"].update(value=-1.0))),
        Mutant("EDP-21", data=_reading(1, _quarter)),
        Mutant("EDP-22", data=_reading(-1, _swap)),
        Mutant("EDP-23", data=_reading(2, lambda r: r.update(takenAt=r["from"]))),
        Mutant("EDP-24", data=_all_readings(_cumulative_in_wh)),
        Mutant("EDP-25", data=_reading(5, lambda r: r["cumulative"].update(value=0.0))),
        Mutant("EDP-26", data=_prepend),
        Mutant("EDP-27", data=_repeat_last),
        Mutant("EDP-40", request=_foreign_served),
        Mutant("EDP-41", request=_unknown_source_400),
        Mutant("EDP-42", request=_unknown_measure_served),
        Mutant("EDP-50", sign=unsigned),
        Mutant("EDP-51", signed=_tamper_meter),
        Mutant("EDP-52", sign=signed_by_cap),
        Mutant("EDP-53", sign=short_period),
        Mutant("EDP-54", sign=odd_assurance),
        Mutant("CAP-01", data=_report(lambda p: first_entry_of(p)["emissions"].update(unitCode="TNE"))),
        Mutant("CAP-02", data=_report(lambda p: p["data"].append(copy.deepcopy(first_entry_of(p))))),
        Mutant("CAP-03", data=_report(_two_months)),
        Mutant("CAP-04", data=_report(_outside_month)),
        Mutant("CAP-05", data=_report(lambda p: first_entry_of(p).update(takenAt=first_entry_of(p)["from"]))),
        Mutant("CAP-06", signed=_retitle_source),
        Mutant("CAP-07", signed=_tamper_report),
        Mutant(
            "CAP-08",
            data=_report(
                lambda p: first_entry_of(p)["emissions"].update(
                    value=round(first_entry_of(p)["emissions"]["value"] + 1.0, 3)
                )
            ),
        ),
    )
}


# --- the ASGI application ----------------------------------------------------------------------------


@dataclass
class Harness:
    app: Callable
    pki: Pki
    mutant: Mutant | None = None
    answered: list = field(default_factory=list)  # (path, status) of every answer, for the tests

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(
            scope["raw_path"].decode() if scope.get("raw_path") else scope["path"],
            dict(parse_qsl(scope.get("query_string", b"").decode(), keep_blank_values=True)),
            {k.decode().lower(): v.decode() for k, v in scope.get("headers", [])},
        )
        outcome = self.mutant.request(request) if self.mutant and self.mutant.request else request
        answer = outcome if isinstance(outcome, Answer) else await self._forward(scope, receive, outcome)
        self._rewrite(request, answer)
        self.answered.append((request.path, answer.status))
        headers = [(k.encode(), v.encode()) for k, v in answer.headers.items() if k != "content-length"]
        headers.append((b"content-length", str(len(answer.body)).encode()))
        await send({"type": "http.response.start", "status": answer.status, "headers": headers})
        await send({"type": "http.response.body", "body": answer.body})

    async def _forward(self, scope, receive, request: Request) -> Answer:
        inner = dict(scope)
        inner["raw_path"] = request.path.encode()
        inner["path"] = unquote(request.path)
        inner["query_string"] = urlencode(request.query).encode()
        inner["headers"] = [(k.encode(), v.encode()) for k, v in request.headers.items()]
        captured: dict = {"body": b""}

        async def capture(message):
            if message["type"] == "http.response.start":
                captured["status"] = message["status"]
                captured["headers"] = {k.decode().lower(): v.decode() for k, v in message.get("headers", [])}
            elif message["type"] == "http.response.body":
                captured["body"] += message.get("body", b"")

        await self.app(inner, receive, capture)
        return Answer(captured["status"], captured["headers"], captured["body"])

    def _rewrite(self, request: Request, answer: Answer) -> None:
        mutant = self.mutant or Mutant("none")
        if answer.status == 200 and answer.headers.get("content-type", "").startswith("application/json"):
            payload = answer.json()
            if mutant.data:
                mutant.data(request, payload)
            if is_meter_data(payload) and readings(payload):
                sign = mutant.sign or (
                    lambda p, pki: sign_meter_data(p, key=pki.edp.key, cert_chain=[pki.edp.certificate], cap=CAP_URL)[
                        "provenance"
                    ]
                )
                payload["provenance"] = sign(payload, self.pki)
            elif is_report(payload) and payload.get("data"):
                body = {k: v for k, v in payload.items() if k != "provenance"}
                payload["provenance"] = sign_report(
                    body, key=self.pki.cap.key, cert_chain=[self.pki.cap.certificate], check_role=True
                )["provenance"]
            if mutant.signed:
                mutant.signed(request, payload, self.pki)
            answer.set_json(payload)
        if mutant.answer:
            mutant.answer(request, answer)
