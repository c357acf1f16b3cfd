#!/usr/bin/env python3
"""Writes the seed corpus of every fuzz target into Fuzz/corpus/<target>/.

Seeds are small, meaningful inputs: a valid request of each RPC for each
resource and data source, msgpack and JSON samples of every kind of type,
Turso API answers, handshake environments. Each starts with the target's
selector byte (see the target's source). Requests and values are written
by hand here, not by the project's encoders, so that a bug in an encoder
cannot shape the seeds. Run it from anywhere; it rewrites the seeds it owns
and leaves other files (the crash reproductions, the sealed envelopes that
`fuzz-sealing` writes, see scripts/fuzz --seeds) alone.
"""
import os
import struct

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus")


# MARK: msgpack and protobuf, by hand

def mp(value):
    """msgpack of a Python value; Unknown() and raw bytes pass through."""
    if value is None:
        return b"\xc0"
    if isinstance(value, Raw):
        return value.data
    if value is True:
        return b"\xc3"
    if value is False:
        return b"\xc2"
    if isinstance(value, int):
        if 0 <= value < 128:
            return bytes([value])
        return b"\xd3" + struct.pack(">q", value)
    if isinstance(value, float):
        return b"\xcb" + struct.pack(">d", value)
    if isinstance(value, str):
        data = value.encode()
        if len(data) < 32:
            return bytes([0xA0 | len(data)]) + data
        return b"\xd9" + bytes([len(data)]) + data
    if isinstance(value, list):
        assert len(value) < 16
        return bytes([0x90 | len(value)]) + b"".join(mp(v) for v in value)
    if isinstance(value, dict):
        assert len(value) < 16
        return bytes([0x80 | len(value)]) + b"".join(mp(k) + mp(v) for k, v in value.items())
    raise TypeError(value)


class Raw:
    def __init__(self, data):
        self.data = data


UNKNOWN = Raw(b"\xd4\x00\x00")
# An unknown string known not to be null, starting with "tok-" (refinements).
REFINED_UNKNOWN = Raw(b"\xc7\x09\x0c" + b"\x82\x01\xc2\x02\xa4tok-")


def varint(n):
    out = b""
    while True:
        byte = n & 0x7F
        n >>= 7
        if n:
            out += bytes([byte | 0x80])
        else:
            return out + bytes([byte])


def pb(number, payload):
    if isinstance(payload, str):
        payload = payload.encode()
    if isinstance(payload, int):
        return varint(number << 3) + varint(payload)
    return varint(number << 3 | 2) + varint(len(payload)) + payload


def dyn(value):
    """A DynamicValue holding msgpack."""
    return pb(1, mp(value))


def dynamic_json(text):
    return pb(2, text)


# MARK: the provider's schemas, as objects with every attribute

def timed(**given):
    base = dict(name=None, ttl=None, renew_before=None, triggers=None, id=None, token=None, expires_at=None)
    base.update(given)
    return base


def api(**given):
    base = dict(name=None, organization=None, group=None, scopes=None, rotation_period=None, triggers=None,
                id=None, token=None, created_at=None)
    base.update(given)
    return base


def config(**given):
    base = dict(api_token=None, base_url=None, private_state_key=None, private_state_previous_keys=None)
    base.update(given)
    return base


def write(target, name, data):
    directory = os.path.join(ROOT, target)
    os.makedirs(directory, exist_ok=True)
    with open(os.path.join(directory, name), "wb") as f:
        f.write(data)


# MARK: router

METHODS = [
    "GetMetadata", "GetProviderSchema", "ValidateProviderConfig", "ConfigureProvider", "StopProvider",
    "ValidateResourceConfig", "UpgradeResourceState", "ReadResource", "PlanResourceChange", "ApplyResourceChange",
    "ImportResourceState", "ValidateDataResourceConfig", "ReadDataSource",
    "GetResourceIdentitySchemas", "UpgradeResourceIdentity", "MoveResourceState", "GenerateResourceConfig",
    "ValidateEphemeralResourceConfig", "OpenEphemeralResource", "RenewEphemeralResource", "CloseEphemeralResource",
    "ValidateListResourceConfig", "GetFunctions", "CallFunction", "PlanAction", "ValidateActionConfig",
]
CONFIGURED = 0x80
EMULATED = 0xC0  # configured against the in-process Turso API emulator


def router(name, method, request, configured=True, emulated=False):
    mode = EMULATED if emulated else CONFIGURED if configured else 0
    write("router", name, bytes([METHODS.index(method) | mode]) + request)
    if configured and not emulated and method in EMULATED_TOO and not name.startswith("repro-"):
        router(name + "-emulated", method, request, emulated=True)


# Requests that also get a seed against the emulator: those that call the Turso API.
EMULATED_TOO = {"ReadResource", "ApplyResourceChange", "ImportResourceState", "ReadDataSource"}


def router_seeds():
    for method in ["GetMetadata", "GetProviderSchema", "StopProvider", "GetFunctions", "MoveResourceState"]:
        router(method.lower(), method, b"", configured=False)
    good = config(api_token="seed-api-token-0123456789", base_url="http://127.0.0.1:9",
                  private_state_key="seed-private-state-key-0123456789")
    router("validateproviderconfig", "ValidateProviderConfig", pb(1, dyn(good)), configured=False)
    router("validateproviderconfig-short-key", "ValidateProviderConfig",
           pb(1, dyn(config(private_state_key="short", base_url="ftp://x"))), configured=False)
    router("configureprovider", "ConfigureProvider", pb(1, "1.15.5") + pb(2, dyn(good)), configured=False)
    router("configureprovider-unknown", "ConfigureProvider",
           pb(1, "1.0.3") + pb(2, dyn(config(api_token=UNKNOWN, base_url=UNKNOWN))), configured=False)
    router("configureprovider-json", "ConfigureProvider",
           pb(1, "1.15.5") + pb(2, dynamic_json('{"api_token":"x","base_url":null,"private_state_key":null,'
                                                '"private_state_previous_keys":["k1"]}')), configured=False)

    timed_config = timed(name="ci", ttl="1h", renew_before="10m", triggers={"k": "v"})
    timed_state = timed(name="ci", ttl="1h", renew_before="10m", triggers={"k": "v"}, id="tt-1",
                        token="eyJ.seed.token", expires_at="2027-01-15T08:00:00Z")
    timed_planned = timed(name="ci", ttl="1h", renew_before="10m", triggers={"k": "v"}, id=UNKNOWN, token=UNKNOWN,
                          expires_at=UNKNOWN)
    api_config = api(name="ci-token", organization="acme", group="default", scopes=["read", "db:create"])
    api_state = api(name="ci-token", organization="acme", group="default", scopes=["read", "db:create"], id="tok-1",
                    token="seed-token-value", created_at="2026-11-30")
    api_planned = api(name="ci-token", organization="acme", group="default", scopes=["read", "db:create"],
                      id=UNKNOWN, token=REFINED_UNKNOWN, created_at=UNKNOWN)
    private = b'{"token":"seed-token-value"}'
    resources = [("turso_timed_token", timed_config, timed_state, timed_planned, "tt-1"),
                 ("turso_api_token", api_config, api_state, api_planned, "ci-token")]
    for type_name, cfg, state, planned, import_id in resources:
        short = type_name.replace("turso_", "")
        t = pb(1, type_name)
        router(f"validateresourceconfig-{short}", "ValidateResourceConfig", t + pb(2, dyn(cfg)), configured=False)
        router(f"upgraderesourcestate-{short}", "UpgradeResourceState",
               t + pb(2, 0) + pb(3, pb(1, '{"name":"ci","id":"x","token":"t"}')))
        router(f"readresource-{short}", "ReadResource", t + pb(2, dyn(state)) + pb(3, private))
        router(f"readresource-{short}-noprivate", "ReadResource", t + pb(2, dyn(state)))
        router(f"plan-create-{short}", "PlanResourceChange", t + pb(2, dyn(None)) + pb(3, dyn(cfg)) + pb(4, dyn(cfg)))
        router(f"plan-update-{short}", "PlanResourceChange",
               t + pb(2, dyn(state)) + pb(3, dyn(state)) + pb(4, dyn(cfg)) + pb(5, private))
        router(f"plan-destroy-{short}", "PlanResourceChange",
               t + pb(2, dyn(state)) + pb(3, dyn(None)) + pb(4, dyn(None)) + pb(5, private))
        router(f"apply-create-{short}", "ApplyResourceChange",
               t + pb(2, dyn(None)) + pb(3, dyn(planned)) + pb(4, dyn(cfg)))
        router(f"apply-destroy-{short}", "ApplyResourceChange",
               t + pb(2, dyn(state)) + pb(3, dyn(None)) + pb(4, dyn(None)) + pb(5, private))
        router(f"import-{short}", "ImportResourceState", t + pb(2, import_id))
    router("plan-json-timed_token", "PlanResourceChange",
           pb(1, "turso_timed_token") + pb(2, dynamic_json("null"))
           + pb(3, dynamic_json('{"name":"ci","ttl":"1h","renew_before":null,"triggers":null,"id":null,'
                                '"token":null,"expires_at":null}'))
           + pb(4, dynamic_json('{"name":"ci","ttl":"1h","renew_before":null,"triggers":null,"id":null,'
                                '"token":null,"expires_at":null}')))

    tokens_config = {"organization": "acme", "tokens": UNKNOWN}
    validation_config = {"token": "seed-token-value", "valid": None, "expires_at": None}
    for type_name, cfg in [("turso_api_tokens", tokens_config), ("turso_api_token_validation", validation_config)]:
        short = type_name.replace("turso_", "")
        router(f"validatedataresourceconfig-{short}", "ValidateDataResourceConfig",
               pb(1, type_name) + pb(2, dyn(cfg)), configured=False)
        router(f"readdatasource-{short}", "ReadDataSource", pb(1, type_name) + pb(2, dyn(cfg)))


# MARK: values (msgpack and JSON)

# Positions in FuzzTypes.fixed (Fuzz/Support/FuzzSupport.swift); 17 = type JSON first.
STRING, NUMBER, BOOL, DYNAMIC, LIST_S, SET_S, MAP_S, TUPLE, LIST_D, MAP_D, SET_N, OBJ_ABC, OBJ_NESTED, TIMED, API, \
    TOKENS, CONFIG, TYPE_JSON = range(18)


def msgpack_seeds():
    samples = {
        "string": (STRING, mp("abc")),
        "string-null": (STRING, mp(None)),
        "string-unknown": (STRING, UNKNOWN.data),
        "string-refined": (STRING, REFINED_UNKNOWN.data),
        "number-int": (NUMBER, mp(42)),
        "number-negative": (NUMBER, mp(-7)),
        "number-float": (NUMBER, mp(1.5)),
        "number-uint64": (NUMBER, b"\xcf\xff\xff\xff\xff\xff\xff\xff\xff"[:9]),
        "number-bigtext": (NUMBER, mp("123456789012345678901234567890.5")),
        "number-refined": (NUMBER, b"\xc7\x09\x0c" + b"\x82\x03\x92\x01\xc3\x04\x92\x0a\xc2"),
        "bool": (BOOL, mp(True)),
        "dynamic-string": (DYNAMIC, b"\x92\xc4\x08" + b'"string"' + mp("x")),
        "dynamic-list": (DYNAMIC, b"\x92\xc4\x11" + b'["list","number"]' + mp([1, 2])),
        "dynamic-unknown": (DYNAMIC, UNKNOWN.data),
        "list": (LIST_S, mp(["a", "b", None])),
        "list-refined": (LIST_S, b"\xc7\x05\x0c" + b"\x82\x05\x01\x06\x03"),
        "set": (SET_S, mp(["a", "b", UNKNOWN])),
        "map": (MAP_S, mp({"k": "v", "z": None})),
        "tuple": (TUPLE, mp(["x", 1, False])),
        "list-dynamic": (LIST_D, mp([Raw(b"\x92\xc4\x06" + b'"bool"' + b"\xc3")])),
        "map-dynamic": (MAP_D, mp({"a": Raw(b"\x92\xc4\x08" + b'"number"' + b"\x05")})),
        "set-number": (SET_N, mp([1, 2, 1.5])),
        "object": (OBJ_ABC, mp({"a": "x", "b": 3, "c": [True, False]})),
        "object-nested": (OBJ_NESTED, mp({"n": [{"k": "a", "v": Raw(b"\x92\xc4\x08" + b'"string"' + mp("b"))}]})),
        "timed-token": (TIMED, mp(timed(name="ci", ttl="1h", triggers={"k": "v"}, id=UNKNOWN))),
        "api-token": (API, mp(api(name="n", scopes=["read"], token=REFINED_UNKNOWN))),
        "api-tokens": (TOKENS, mp({"organization": "acme", "tokens": [
            {"name": "a", "id": "1", "organization": None, "group": None, "scopes": ["read"], "created_at": "2026-01-01"}]})),
        "config": (CONFIG, mp(config(api_token="t", private_state_previous_keys=["a", "b"]))),
        "typejson-object": (TYPE_JSON, b'["object",{"a":"string","b":["list","number"]},["b"]]\n' + mp({"a": "x", "b": None})),
        "typejson-tuple": (TYPE_JSON, b'["tuple",["string",["set","bool"],"dynamic"]]\n'
                           + mp(["s", [True], Raw(b"\x92\xc4\x08" + b'"number"' + b"\x07")])),
    }
    for name, (selector, data) in samples.items():
        write("msgpack", name, bytes([selector]) + data)


def json_seeds():
    samples = {
        "string": (STRING, '"abc"'),
        "string-from-number": (STRING, "12.50"),
        "string-escapes": (STRING, '"tab\\t \\u00e9 \\ud83d\\ude00 \\"q\\""'),
        "number": (NUMBER, "-1.25e3"),
        "number-from-string": (NUMBER, '"42"'),
        "number-inf": (NUMBER, '"+Inf"'),
        "bool-from-string": (BOOL, '"true"'),
        "null": (STRING, "null"),
        "dynamic": (DYNAMIC, '{"value":["a",1],"type":["tuple",["string","number"]]}'),
        "list": (LIST_S, '["a","b",null]'),
        "set": (SET_S, '["b","a","b"]'),
        "map": (MAP_S, '{"k":"v","":"empty key"}'),
        "tuple": (TUPLE, '["x",1,false]'),
        "object": (OBJ_ABC, '{"a":"x","b":3,"c":[true]}'),
        "object-nested": (OBJ_NESTED, '{"n":[{"k":"a","v":{"value":true,"type":"bool"}}]}'),
        "timed-token-state": (TIMED, '{"name":"ci","ttl":"1h","renew_before":"10m","triggers":{"k":"v"},'
                                     '"id":"tt-1","token":"t","expires_at":"2027-01-15T08:00:00Z"}'),
        "api-token-extra-attribute": (API | 0x80, '{"name":"n","id":"i","token":"t","removed_attribute":1}'),
        "config": (CONFIG, '{"api_token":"t","base_url":null,"private_state_key":null,"private_state_previous_keys":[]}'),
        "typejson-object": (TYPE_JSON, '["object",{"a":"string","b":["map","number"]},["a"]]\n{"a":null,"b":{"x":1}}'),
        "typejson-dynamic": (TYPE_JSON, '["list","dynamic"]\n[{"value":"s","type":"string"}]'),
    }
    for name, (selector, text) in samples.items():
        write("json", name, bytes([selector]) + text.encode())


# MARK: sealing (the sealed envelopes are written by fuzz-sealing itself)

def sealing_seeds():
    write("sealing", "empty", b"\x00")
    write("sealing", "plain-json", b"\x00" + b'{"token":"old-plain-value","expires_at":"2027-01-01T00:00:00Z"}')
    write("sealing", "plain-json-not-strings", b"\x00" + b'{"token":1}')
    write("sealing", "version-2", b"\x00" + b"\x02" + bytes(48))
    write("sealing", "truncated", b"\x00" + b"\x01" + bytes(20))
    write("sealing", "unknown-key", b"\x01" + b"\x01" + bytes(range(8)) + bytes(24) + bytes(20))


# MARK: handshake

def handshake_seeds():
    cookie = "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2"
    pem = open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "seed-certificate.pem")).read()

    def env(selector, *values):
        return bytes([selector]) + b"\x00".join(v.encode() for v in values)
    write("handshake", "terraform-automtls", env(0x1F, cookie, "5,6", "/tmp/tfplugin", "/tmp", pem))
    write("handshake", "terraform-plaintext", env(0x0F, cookie, "6", "", "/var/tmp"))
    write("handshake", "versions-spaces", env(0x23, "", " 4 ,\t6 ,7"))
    write("handshake", "versions-only-5", env(0x23, "", "5"))
    write("handshake", "no-cookie", env(0x1E, "", "6", "/tmp", "/tmp", pem))
    write("handshake", "wrong-cookie", env(0x03, "not-the-cookie", "6"))
    write("handshake", "pem-not-certificate", env(0x33, "", "6", "", "",
                                                  "-----BEGIN CERTIFICATE-----\nTUlJQmFkQ2VydA==\n-----END CERTIFICATE-----\n"))
    write("handshake", "pem-no-end", env(0x33, "", "6", "", "", "-----BEGIN CERTIFICATE-----\nMIIB\n"))


# MARK: Turso API answers

STATUSES = [200, 400, 401, 403, 404, 405, 409, 422, 429, 500, 502, 503, 504, 302, 418]


def turso_seeds():
    def answer(name, status, body):
        write("turso", name, bytes([STATUSES.index(status)]) + body.encode())
    answer("list", 200, '{"tokens":[{"name":"ci","id":"tok-1","organization":"acme","group":"default",'
                        '"scopes":["read","db:create"],"created_at":"2026-11-30",'
                        '"owner":{"username":"u","email":"u@example.com"}},{"name":"old","id":"tok-0"}]}')
    answer("list-empty", 200, '{"tokens":[]}')
    answer("create", 200, '{"id":"tok-2","name":"ci","token":"eyJhbGciOiJFZERTQSJ9.seed"}')
    answer("validate", 200, '{"exp":1800000000}')
    answer("validate-never-expires", 200, '{"exp":-1}')
    answer("error-exists", 400, '{"error":"token with name ci already exists"}')
    answer("error-unauthorized", 401, '{"error":"token fuzz-provider-api-token-0123456789 is invalid"}')
    answer("error-forbidden", 403, '{"error":"forbidden"}')
    answer("error-not-found", 404, '{"error":"organization not found"}')
    answer("error-conflict", 409, '{"error":"conflict"}')
    answer("error-rate-limited", 429, '{"error":"rate limited"}')
    answer("error-server-html", 500, "<html><body>Internal Server Error</body></html>")
    answer("error-unicode", 503, '{"error":"\\u00e9t\\u00e9 \\ud83d\\ude00 \\u001b[31m"}')
    answer("redirect", 302, "")
    for name, header in [("retry-after-seconds", "120"), ("retry-after-date", "Sun, 06 Nov 1994 08:49:37 GMT"),
                         ("retry-after-future", "Wed, 21 Oct 2037 07:28:00 GMT"), ("retry-after-spaces", " 5 ")]:
        write("turso", name, b"\x80" + header.encode())


def router_crashes():
    """The seven reproductions of issue 7 (Tests/Fixtures/router-crashes), each with the selector
    byte of its RPC, configured as it needs: all with ConfigureProvider first (R4 needs a
    private-state key), against the emulator (R5 and R5b need an answering Turso API)."""
    fixtures = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "Fixtures", "router-crashes")
    methods = {"R1": "PlanResourceChange", "R1b": "PlanResourceChange", "R2": "PlanResourceChange",
               "R3": "ApplyResourceChange", "R4": "ReadResource", "R5": "ReadDataSource", "R5b": "ReadDataSource"}
    for name, method in methods.items():
        with open(os.path.join(fixtures, name + ".bin"), "rb") as f:
            router(f"repro-{name}", method, f.read(), emulated=name.startswith("R5"))


if __name__ == "__main__":
    router_seeds()
    router_crashes()
    msgpack_seeds()
    json_seeds()
    sealing_seeds()
    handshake_seeds()
    turso_seeds()
