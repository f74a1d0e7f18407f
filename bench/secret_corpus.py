"""The secret corpus: per-format fixtures for the secret catalogue, written from the
providers' documented token formats (and gitleaks' rule descriptions), not from the
catalogue's regular expressions. Each entry is a rule id, lines that hold a secret (with
the secret's value) and near-miss lines that must not be flagged.

Token bodies are generated deterministically (seeded by the rule id) so no real credential
is committed; the shapes (prefix, alphabet, length) are the documented ones.
"""

from __future__ import annotations

import random
import string
from dataclasses import dataclass, field

UPPER = string.ascii_uppercase
LOWER = string.ascii_lowercase
DIGITS = string.digits
ALNUM = UPPER + LOWER + DIGITS
HEX = "0123456789abcdef"
B64 = ALNUM + "+/"
URLSAFE = ALNUM + "_-"

def tok(seed: str, alphabet: str, length: int) -> str:
    """A deterministic random body with at least one digit and one letter."""
    rng = random.Random(seed)
    needs_digit = any(c.isdigit() for c in alphabet)
    needs_letter = any(c.isalpha() for c in alphabet)
    while True:
        value = "".join(rng.choice(alphabet) for _ in range(length))
        if length < 8 or ((not needs_digit or any(c.isdigit() for c in value))
                          and (not needs_letter or any(c.isalpha() for c in value))):
            return value

@dataclass
class Case:
    rule: str
    positives: list[tuple[str, str]]  # (line, secret value)
    negatives: list[str] = field(default_factory=list)

def _pem(kind: str) -> tuple[str, str]:
    body = "\n".join(tok(f"pem{kind}{i}", B64, 64) for i in range(4))
    block = f"-----BEGIN {kind}PRIVATE KEY-----\n{body}\n-----END {kind}PRIVATE KEY-----"
    return block, block

def _t(rule: str, prefix: str, alphabet: str, length: int, template: str = "{}") -> tuple[str, str]:
    value = prefix + tok(rule, alphabet, length)
    return template.format(value), value

_PGP_BODY = "\n".join(tok(f"pgp{i}", B64, 64) for i in range(3))
_PGP = (f"-----BEGIN PGP PRIVATE KEY BLOCK-----\n\n{_PGP_BODY}\n=Ab3d\n"
        "-----END PGP PRIVATE KEY BLOCK-----")
_PUTTY = ("PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\nComment: laptop\n"
          f"Public-Lines: 2\n{tok('putty-pub', B64, 64)}\nPrivate-Lines: 1\n"
          f"{tok('putty-priv', B64, 44)}\nPrivate-MAC: {tok('putty-mac', HEX, 64)}")
_JWT = ("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9." + "eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkFkYSJ9."
        + tok("jwt-sig", URLSAFE, 43))
_AZ_KEY = tok("azure-storage", B64, 86) + "=="
_UUID = "3f2b8c1e-9d4a-4e7b-8a6f-2c5d9e1b7a40"

def _luhn_complete(prefix: str) -> str:
    digits = [int(d) for d in prefix]
    for check in range(10):
        total = 0
        for i, d in enumerate(reversed([*digits, check])):
            total += (d * 2 - 9 if d * 2 > 9 else d * 2) if i % 2 else d
        if total % 10 == 0:
            return prefix + str(check)
    raise AssertionError

CARD = _luhn_complete("453201511283036")
CARD_BAD = CARD[:-1] + str((int(CARD[-1]) + 1) % 10)

CASES: list[Case] = [
    Case("private-key", [_pem("RSA "), _pem(""), _pem("OPENSSH "), _pem("EC ")],
         ["-----BEGIN PUBLIC KEY-----", "ssh-keygen -t ed25519 writes a private key file"]),
    Case("pgp-private-key", [(_PGP, _PGP)], ["-----BEGIN PGP PUBLIC KEY BLOCK-----"]),
    Case("putty-private-key", [(_PUTTY, _PUTTY)], ["PuTTY-User-Key-File format is documented"]),
    Case("age-secret-key", [("AGE-SECRET-KEY-1" + tok("age", "QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L", 58),
                             "AGE-SECRET-KEY-1" + tok("age", "QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L", 58))],
         ["age1" + tok("age-pub", "qpzry9x8gf2tvdw0s3jn54khce6mua7l", 58)]),
    Case("aws-access-key-id", [_t("aws-akid", "AKIA", UPPER + "234567", 16,
                                  "aws_access_key_id = {}"),
                               _t("aws-asia", "ASIA", UPPER + "234567", 16, "key {} expires")],
         ["AKIAPROJECT is our team name", "ASIAN cuisine tonight"]),
    Case("aws-secret-access-key", [_t("aws-secret", "", B64, 40, "aws_secret_access_key = {}"),
                                   _t("aws-secret2", "", B64, 40, "AWS_SECRET_ACCESS_KEY={}")],
         ["aws_secret_access_key = os.environ['AWS_SECRET']"]),
    Case("aws-session-token", [_t("aws-session", "", B64, 120, "aws_session_token = {}")], []),
    Case("gcp-api-key", [_t("gcp-key", "AIza", URLSAFE, 35, 'key: "{}"')], ["AIza is a prefix"]),
    Case("gcp-oauth-client-secret", [_t("gocspx", "GOCSPX-", URLSAFE, 28)], []),
    Case("gcp-oauth-access-token", [_t("ya29", "ya29.", URLSAFE, 80, "Authorization token {}")],
         ["ya29.example"]),
    Case("gcp-service-account-key-id",
         [(f'  "private_key_id": "{tok("gcp-kid", HEX, 40)}",', tok("gcp-kid", HEX, 40))],
         ['  "private_key_id": "",']),
    Case("azure-storage-account-key",
         [(f"DefaultEndpointsProtocol=https;AccountName=acme;AccountKey={_AZ_KEY};", _AZ_KEY)],
         ["AccountKey=<your key>"]),
    Case("azure-ad-client-secret", [_t("azure-ad", "Abc8Q~", ALNUM + "_~.-", 34, "secret {}")],
         []),
    Case("azure-sas-signature",
         [(f"https://acme.blob.core.windows.net/c?sv=2022-11-02&sig={tok('sas', ALNUM, 44)}%3D",
           tok("sas", ALNUM, 44) + "%3D")], ["?sig=short"]),
    Case("digitalocean-pat", [_t("do-pat", "dop_v1_", HEX, 64)], ["dop_v1_tooshort"]),
    Case("alibaba-access-key-id", [_t("ali", "LTAI", ALNUM, 20)], ["LTAI is a prefix"]),
    Case("heroku-api-key", [_t("heroku", "HRKU-", URLSAFE, 60)], []),
    Case("heroku-api-key-labelled", [(f"HEROKU_API_KEY={_UUID}", _UUID)],
         ["heroku apps:create demo"]),
    Case("ibm-cloud-api-key", [_t("ibm", "", URLSAFE, 44, "IBM_CLOUD_APIKEY={}")], []),
    Case("cloudflare-api-token", [_t("cf", "", URLSAFE, 40, "CLOUDFLARE_API_TOKEN={}")], []),
    Case("flyio-token", [_t("fly", "fo1_", URLSAFE, 43)], []),
    Case("hashicorp-vault-token", [_t("hvs", "hvs.", URLSAFE, 90)], ["hvs.example"]),
    Case("terraform-cloud-token",
         [_t("tfc", tok("tfc-id", LOWER + DIGITS, 14) + ".atlasv1.", LOWER + DIGITS, 67)], []),
    Case("planetscale-token", [_t("pscale", "pscale_tkn_", URLSAFE, 43)], []),
    Case("doppler-token", [_t("doppler", "dp.pt.", ALNUM, 43)], []),
    Case("pulumi-token", [_t("pulumi", "pul-", HEX, 40)], ["pul-request"]),
    Case("github-token", [_t("ghp", "ghp_", ALNUM, 36, "token {} copied"),
                          _t("gho", "gho_", ALNUM, 36), _t("ghs", "ghs_", ALNUM, 36)],
         ["ghp_ is the prefix of a classic token", "sugghp_xx"]),
    Case("github-fine-grained-pat", [_t("ghpat", "github_pat_11A", ALNUM + "_", 79)],
         ["github_pat_ tokens are fine-grained"]),
    Case("gitlab-token", [_t("glpat", "glpat-", URLSAFE, 20), _t("glrt", "glrt-", URLSAFE, 20)],
         ["glpat- is GitLab's prefix"]),
    Case("bitbucket-client-secret", [_t("bb", "", URLSAFE, 64, "BITBUCKET_CLIENT_SECRET={}")],
         []),
    Case("bitbucket-app-password", [_t("atbb", "ATBB", ALNUM, 32)], []),
    Case("atlassian-api-token", [_t("atatt", "ATATT3xFfGF0", URLSAFE, 180)], []),
    Case("circleci-token", [(f"CCIPAT_{tok('cci', ALNUM, 22)}_{tok('cci2', HEX, 40)}",
                             f"CCIPAT_{tok('cci', ALNUM, 22)}_{tok('cci2', HEX, 40)}")], []),
    Case("circleci-token-labelled", [_t("circle", "", HEX, 40, "CIRCLECI_TOKEN: {}")], []),
    Case("travisci-token", [_t("travis", "", URLSAFE, 22, "TRAVIS_API_TOKEN={}")], []),
    Case("docker-hub-pat", [_t("dckr", "dckr_pat_", URLSAFE, 27)], []),
    Case("sourcegraph-token", [_t("sgp", "sgp_", HEX, 40)], []),
    Case("slack-token", [(f"xoxb-{tok('xoxb', DIGITS, 12)}-{tok('xoxb2', ALNUM, 24)}",
                          f"xoxb-{tok('xoxb', DIGITS, 12)}-{tok('xoxb2', ALNUM, 24)}")],
         ["xoxo, see you"]),
    Case("slack-app-token", [(f"xapp-1-A{tok('xapp', UPPER + DIGITS, 10)}-1234567890-"
                              f"{tok('xapp2', HEX, 64)}",
                              f"xapp-1-A{tok('xapp', UPPER + DIGITS, 10)}-1234567890-"
                              f"{tok('xapp2', HEX, 64)}")], []),
    Case("slack-webhook",
         [(f"https://hooks.slack.com/services/T{tok('sw1', UPPER + DIGITS, 8)}/"
           f"B{tok('sw2', UPPER + DIGITS, 8)}/{tok('sw3', ALNUM, 24)}",
           f"T{tok('sw1', UPPER + DIGITS, 8)}/B{tok('sw2', UPPER + DIGITS, 8)}/"
           f"{tok('sw3', ALNUM, 24)}")], ["https://hooks.slack.com/"]),
    Case("discord-webhook",
         [(f"https://discord.com/api/webhooks/123456789012345678/{tok('dw', URLSAFE, 68)}",
           f"123456789012345678/{tok('dw', URLSAFE, 68)}")], ["https://discord.com/channels/1/2"]),
    Case("discord-bot-token",
         [(f"MT{tok('db1', ALNUM, 24)}.{tok('db2', URLSAFE, 6)}.{tok('db3', URLSAFE, 38)}",
           f"MT{tok('db1', ALNUM, 24)}.{tok('db2', URLSAFE, 6)}.{tok('db3', URLSAFE, 38)}")], []),
    Case("teams-webhook",
         [(f"https://acme.webhook.office.com/webhookb2/{_UUID}@{_UUID}/IncomingWebhook/"
           f"{tok('teams', HEX, 32)}/{_UUID}",
           f"{_UUID}@{_UUID}/IncomingWebhook/{tok('teams', HEX, 32)}/{_UUID}")], []),
    Case("telegram-bot-token", [_t("tg", "123456789:AA", URLSAFE, 33, "bot token {}")],
         ["12:30 AA meeting"]),
    Case("twilio-api-key", [_t("twilio", "SK", HEX, 32)], ["SKU 12345"]),
    Case("sendgrid-api-key", [(f"SG.{tok('sg1', URLSAFE, 22)}.{tok('sg2', URLSAFE, 43)}",
                               f"SG.{tok('sg1', URLSAFE, 22)}.{tok('sg2', URLSAFE, 43)}")], []),
    Case("mailgun-key", [_t("mailgun", "key-", HEX, 32)], ["key-value store"]),
    Case("mailchimp-api-key", [(f"{tok('mc', HEX, 32)}-us21", f"{tok('mc', HEX, 32)}-us21")], []),
    Case("postmark-token", [(f"POSTMARK_SERVER_TOKEN={_UUID}", _UUID)], []),
    Case("stripe-secret-key", [_t("stripe", "sk_live_", ALNUM, 24, "STRIPE={}"),
                               _t("stripe-rk", "rk_test_", ALNUM, 24)],
         ["pk_live_ keys are publishable", "sk_live_ prefix"]),
    Case("stripe-webhook-secret", [_t("whsec", "whsec_", ALNUM, 32)], []),
    Case("square-access-token", [_t("sq", "sq0atp-", URLSAFE, 22), _t("eaaa", "EAAA", URLSAFE, 60)],
         []),
    Case("square-oauth-secret", [_t("sqcsp", "sq0csp-", URLSAFE, 43)], []),
    Case("paypal-braintree-token",
         [(f"access_token$production${tok('bt1', LOWER + DIGITS, 16)}${tok('bt2', HEX, 32)}",
           f"access_token$production${tok('bt1', LOWER + DIGITS, 16)}${tok('bt2', HEX, 32)}")],
         []),
    Case("shopify-token", [_t("shpat", "shpat_", HEX, 32), _t("shpss", "shpss_", HEX, 32)], []),
    Case("adyen-api-key", [_t("adyen", "AQE", B64, 80, "ADYEN_API_KEY={}")], []),
    Case("coinbase-secret", [_t("coinbase", "", URLSAFE, 64, "COINBASE_SECRET={}")], []),
    Case("npm-token", [_t("npm", "npm_", ALNUM, 36, "//registry.npmjs.org/:_authToken={}")],
         ["npm_config_cache=/tmp"]),
    Case("pypi-token", [_t("pypi", "pypi-AgEIcHlwaS5vcmc", URLSAFE, 70)], []),
    Case("rubygems-token", [_t("gems", "rubygems_", HEX, 48)], []),
    Case("nuget-api-key", [_t("nuget", "oy2", LOWER + DIGITS, 43)], []),
    Case("clojars-token", [_t("clojars", "CLOJARS_", LOWER + DIGITS, 60)], []),
    Case("cratesio-token", [_t("crates", "cio", ALNUM, 32)], ["cio of the company"]),
    Case("jfrog-api-key", [_t("jfrog", "AKCp", ALNUM, 69)], []),
    Case("anthropic-api-key", [_t("anthropic", "sk-ant-api03-", URLSAFE, 93)], []),
    Case("openai-api-key", [_t("openai", "sk-proj-", URLSAFE, 48, "OPENAI={}"),
                            _t("openai2", "sk-", ALNUM, 48)], ["sk-learn is a library"]),
    Case("huggingface-token", [_t("hf", "hf_", ALNUM, 34)], ["hf_hub_download(repo)"]),
    Case("groq-api-key", [_t("groq", "gsk_", ALNUM, 52)], []),
    Case("replicate-token", [_t("replicate", "r8_", ALNUM, 37)], []),
    Case("perplexity-api-key", [_t("pplx", "pplx-", ALNUM, 48)], []),
    Case("new-relic-key", [_t("nr", "NRAK-", UPPER + DIGITS, 27)], []),
    Case("datadog-api-key", [_t("dd", "", HEX, 32, "DD_API_KEY={}")], ["datadog agent status"]),
    Case("sentry-token", [_t("sentry", "sntrys_", B64, 60)], []),
    Case("grafana-token", [(f"glsa_{tok('glsa', ALNUM, 32)}_{tok('glsa2', HEX, 8)}",
                            f"glsa_{tok('glsa', ALNUM, 32)}_{tok('glsa2', HEX, 8)}")], []),
    Case("linear-api-key", [_t("linear", "lin_api_", ALNUM, 40)], []),
    Case("notion-token", [_t("notion", "ntn_", ALNUM, 46), _t("notion2", "secret_", ALNUM, 43)],
         ["secret_santa_list"]),
    Case("figma-token", [_t("figma", "figd_", URLSAFE, 40)], []),
    Case("dropbox-token", [_t("dropbox", "sl.", URLSAFE, 138)], []),
    Case("postman-api-key", [(f"PMAK-{tok('pm1', HEX, 24)}-{tok('pm2', HEX, 34)}",
                              f"PMAK-{tok('pm1', HEX, 24)}-{tok('pm2', HEX, 34)}")], []),
    Case("facebook-access-token", [_t("fb", "EAAC", ALNUM, 120)], []),
    Case("shippo-token", [_t("shippo", "shippo_live_", HEX, 40)], []),
    Case("okta-token", [_t("okta", "00", URLSAFE, 40, "OKTA_API_TOKEN={}")], []),
    Case("databricks-token", [_t("dapi", "dapi", HEX, 32)], []),
    Case("contentful-token", [_t("cfpat", "CFPAT-", URLSAFE, 43)], []),
    Case("jwt", [(_JWT, _JWT)], ["eyJ is how base64 JSON starts"]),
    Case("bearer-token", [_t("bearer", "", ALNUM, 30, "Authorization: Bearer {}")],
         ["the bearer of bad news"]),
    Case("basic-auth-header", [("Authorization: Basic YWxhZGRpbjpvcGVuc2VzYW1l",
                                "YWxhZGRpbjpvcGVuc2VzYW1l")], ["basic authentication is old"]),
    Case("url-credentials", [("DATABASE_URL=postgres://app:s3cretPw9@db.example.com:5432/x",
                              "s3cretPw9"),
                             ("git clone https://sam:gh0stRider77@git.example.org/r.git",
                              "gh0stRider77")],
         ["https://example.com:8080/path", "mailto:sam@example.com"]),
    Case("password-field", [("Password: Tr0ub4dor&3horse", "Tr0ub4dor&3horse"),
                            ("Kennwort: Geheim!2024", "Geheim!2024"),
                            ("Mot de passe : Soleil#42", "Soleil#42"),
                            ("Contraseña: Playa-2024", "Playa-2024"),
                            ("Senha: Lisboa!77", "Lisboa!77"),
                            ("Wachtwoord: Tulp-9090", "Tulp-9090"),
                            ("Пароль: Zima2024!", "Zima2024!"),
                            ("パスワード: sakura-88", "sakura-88")],
         ["Forgot your password?", "password = getpass()", "Password: ********",
          "password: str | None = None", "unlock(passphrase=passphrase)",
          "First pass: determine the length"]),
    Case("pass-field", [("user: sam / pass: hunter2!", "hunter2!")],
         ["First pass: determine the length", "pass: through"]),
    Case("pin-field", [("PIN: 4829", "4829"), ("pin code = 90210", "90210")],
         ["Pin:  release a=stable", "PIN: see the letter"]),
    Case("password-assignment", [("DB_PASSWORD=hunter2hunter", "hunter2hunter"),
                                 ("export PGPASSWORD=Xk9-mmQ2", "Xk9-mmQ2"),
                                 ('smtp_password = "p4ss-w0rd-1"', "p4ss-w0rd-1")],
         ["DB_PASSWORD=${DB_PASSWORD}", "password=password", "PASSWORD_MIN_LENGTH=8"]),
    Case("secret-assignment", [("GITHUB_TOKEN=abcDEF123456ghiJKL", "abcDEF123456ghiJKL"),
                               ("SECRET_KEY = 'dj4ng0-s3cr3t-k3y'", "dj4ng0-s3cr3t-k3y"),
                               ("client_secret: 9aK2mQx7Zp", "9aK2mQx7Zp"),
                               ("SENTRY_DSN=https://abc123@o1.ingest.sentry.io/5",
                                "https://abc123@o1.ingest.sentry.io/5")],
         ["token = self.token", "SECRET_KEY = get_random_secret_key()", "api_key = None",
          "TOKEN_EXPIRY=3600", "secret_key: str", "token_type = 'encoded-word'"]),
    Case("labelled-key", [("The token is a8F3kd9Q2mZ7xL0pR4tY", "a8F3kd9Q2mZ7xL0pR4tY"),
                          ("api key Zx81kQm2Lp09Rt55Yw3v", "Zx81kQm2Lp09Rt55Yw3v")],
         ["token types and their lifetimes", "the api key rotation_policy_document"]),
    Case("one-time-code", [("Your verification code is 482913", "482913"),
                           ("2FA code: 771 204", "771 204"),
                           ("Enter OTP 5521 to continue", "5521")],
         ["Error code 2024-11-05", "code review at 10:30",
          '<code class="computeroutput">N == 1007</code>']),
    Case("card-number", [(f"Card: {CARD[:4]} {CARD[4:8]} {CARD[8:12]} {CARD[12:]}",
                          f"{CARD[:4]} {CARD[4:8]} {CARD[8:12]} {CARD[12:]}"),
                         (f"card {CARD}", CARD)],
         [f"Order {CARD_BAD} shipped", "call 555 0199", "1.00 % 0.1 gives 0.09999999999999995",
          # Luhn-valid, but an order number's grouping and a leading digit no card has
          "ORDER # 113-5220418-7730105", "ticket 9021455678123409"]),
    Case("iban", [("IBAN: DE89 3704 0044 0532 0130 00", "DE89 3704 0044 0532 0130 00"),
                  ("Pay to GB82 WEST 1234 5698 7654 32 by Friday",
                   "GB82 WEST 1234 5698 7654 32")],
         ["ref GB00 WEST 1234 5698 7654 32"]),
    Case("bank-account-number", [("Account number: 40817359", "40817359"),
                                 ("Routing # 021000021", "021000021")],
         ["account settings"]),
    Case("us-ssn", [("SSN 123-45-6789", "123-45-6789")], ["ISBN 978-0-12-345678-9",
                                                          "000-12-3456", "666-45-6789"]),
    Case("us-ssn-labelled", [("Social Security Number: 123 45 6789", "123 45 6789")], []),
    Case("uk-national-insurance", [("NI number AB 12 34 56 C", "AB 12 34 56 C"),
                                   ("NINO: AB123456C", "AB123456C")],
         ["GB123456A is not valid", "DQ123456A"]),
    Case("ca-sin", [("SIN: 046 454 286", "046 454 286")], ["SIN: 046 454 287"]),
    Case("nl-bsn", [("BSN: 111222333", "111222333")], ["BSN: 111222334"]),
    Case("es-dni", [("DNI 12345678Z", "12345678Z"), ("NIE X1234567L", "X1234567L")],
         ["DNI 12345678A"]),
    Case("in-aadhaar", [("Aadhaar: 2341 2341 2346", "2341 2341 2346")],
         ["Aadhaar: 2341 2341 2345"]),
]
