"""The secret catalogue: every format Engram recognises, as data.

One entry per format (gitleaks keeps its rules the same way): an id, the placeholder label
written in its place (``[REDACTED:<label>]``), the vault ``entry_type`` it becomes, its
sensitivity, a regular expression whose ``secret`` group (else the whole match) is the
secret, optional lower-case keywords (the rule runs only when one occurs in the text, which
keeps a frame's scan cheap), and an optional validator (a checksum or shape rule) that a
match must pass. Capture redaction, the vault rules, chat saving and export all read this
list through :mod:`memory.secrets.scanner`; a new format is one entry plus its fixtures in
``bench/secret_corpus.py`` (tests and the benchmark read them).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from memory.secrets import validators as v


@dataclass(frozen=True)
class Rule:
    id: str
    label: str
    pattern: str
    kind: str = "api_key"
    sensitivity: str = "high"
    keywords: tuple[str, ...] = ()
    validator: Callable[[str], bool] | None = None
    description: str = ""
    #: How many characters after a keyword a match may end (then to the end of that line).
    reach: int = 160
    #: A match whose whole text this finds is not a secret (e.g. ``TOKEN_TYPE = ...``).
    reject: str | None = None
    flags: int = 0
    compiled: re.Pattern[str] = field(init=False, repr=False, compare=False)
    rejected: re.Pattern[str] | None = field(init=False, repr=False, compare=False)

    @property
    def named(self) -> bool:
        """The rule finds a value by its label or name (``Password:``, ``*_TOKEN=``), a
        word OCR may misread; provider token shapes are found as they read."""
        return self.pattern.startswith("(?i:")

    def __post_init__(self) -> None:
        object.__setattr__(self, "compiled", re.compile(self.pattern, self.flags))
        object.__setattr__(self, "rejected",
                           re.compile(self.reject) if self.reject is not None else None)


def _p(prefix: str, body: str, *, end: str = r"(?![A-Za-z0-9_-])") -> str:
    """A provider token: a fixed prefix not glued to a preceding word, then its body."""
    return rf"(?<![A-Za-z0-9_-]){prefix}{body}{end}"


def _labelled(label: str, value: str) -> str:
    """``<label> ... [:=] <value>`` on one line; the value is the secret."""
    return rf"(?i:{label})[\w .\"'-]{{0,24}}?\s*[:=]+>?\s*[\"']?(?P<secret>{value})(?![\w+/=-])"


_KEY = "api_key"
_CRED = "credential"
_ACCT = "account_number"

#: Names that make a ``NAME=value`` / ``NAME: value`` assignment's value a secret. ``_`` is a
#: word character, so the names match inside ``AWS_SECRET_ACCESS_KEY`` or ``DB_PASSWORD``
#: without relying on ``\b`` after an underscore (the bug of the old pattern).
PASSWORD_NAME = r"(?i:passw(?:or)?d|passwd|pwd|passphrase)"
SECRET_NAME = (
    r"(?i:secret|token|api[_.-]?key|apikey|access[_.-]?key|private[_.-]?key|client[_.-]?secret"
    r"|auth[_.-]?key|credentials?|signing[_.-]?key|encryption[_.-]?key|master[_.-]?key"
    r"|session[_.-]?key|dsn|conn(?:ection)?[_.-]?string)"
)

#: A secret-looking name that names something about the secret, not the secret itself.
_METADATA_NAME = (
    r"^[A-Za-z0-9]*[_.-]?(?i:type|url|uri|name|file|path|expiry|expires?(?:_at|_in)?|ttl|id"
    r"|len|length|size|count|endpoint|header|prefix|format|kind|class|mode|env|var|field|label"
    r"|dir|location|cache|store|policy|hint|timeout|lifetime|version|regex|pattern)s?\b"
)

RULES: tuple[Rule, ...] = (
    # -- keys and signed blocks (multi-line: scanned on the joined text) ------------------
    Rule("pgp-private-key", "private_key",
         r"-----BEGIN PGP PRIVATE KEY BLOCK-----[\s\S]{0,16000}?"
         r"(?:-----END PGP PRIVATE KEY BLOCK-----|$)",
         _CRED, keywords=("pgp private",), description="PGP private key block", reach=16_100),
    Rule("private-key", "private_key",
         r"-----BEGIN[ A-Z0-9_-]{0,40}PRIVATE KEY(?: BLOCK)?-----(?:[\s\S]{0,8000}?"
         r"-----END[ A-Z0-9_-]{0,40}PRIVATE KEY(?: BLOCK)?-----|[A-Za-z0-9+/=:\s,-]{0,8000})",
         _CRED, keywords=("private key",), description="PEM/OpenSSH private key with its body",
         reach=8_100),
    Rule("putty-private-key", "private_key",
         r"PuTTY-User-Key-File-\d: [\s\S]{0,6000}?Private-MAC: [0-9a-f]+",
         _CRED, keywords=("putty-user-key",), reach=6_100),
    Rule("age-secret-key", "private_key", r"AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}",
         _CRED, keywords=("age-secret-key",)),
    # -- cloud ----------------------------------------------------------------------------
    Rule("aws-access-key-id", "api_key", _p(r"(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)", "[A-Z0-9]{16}"),
         keywords=("akia", "asia", "abia", "acca", "a3t")),
    Rule("aws-secret-access-key", "api_key",
         _labelled(r"aws.{0,20}secret(?:.{0,12}key)?", r"[A-Za-z0-9/+]{40}"),
         keywords=("aws",)),
    Rule("aws-session-token", "token",
         _labelled(r"aws.{0,10}session.{0,4}token", r"[A-Za-z0-9/+=]{100,}"), keywords=("aws",)),
    Rule("gcp-api-key", "api_key", _p("AIza", "[0-9A-Za-z_-]{35}"), keywords=("aiza",)),
    Rule("gcp-oauth-client-secret", "api_key", _p("GOCSPX-", "[A-Za-z0-9_-]{28}"),
         keywords=("gocspx",)),
    Rule("gcp-oauth-access-token", "token", _p(r"ya29\.", "[0-9A-Za-z_-]{30,}"),
         keywords=("ya29.",)),
    Rule("gcp-service-account-key-id", "api_key",
         r"\"private_key_id\"\s*:\s*\"(?P<secret>[0-9a-f]{40})\"", keywords=("private_key_id",)),
    Rule("azure-storage-account-key", "api_key",
         r"(?i:AccountKey)=(?P<secret>[A-Za-z0-9+/]{86}==)", keywords=("accountkey",)),
    Rule("azure-ad-client-secret", "api_key",
         r"(?<![A-Za-z0-9_~.-])[A-Za-z0-9_~.]{3}\dQ~[A-Za-z0-9_~.-]{31,34}(?![A-Za-z0-9_~.-])",
         keywords=("q~",)),
    Rule("azure-sas-signature", "token", r"[?&]sig=(?P<secret>[A-Za-z0-9%+/]{30,}(?:%3D|=){0,2})",
         keywords=("sig=",)),
    Rule("digitalocean-pat", "api_key", _p("do[por]_v1_", "[a-f0-9]{64}"), keywords=("_v1_",)),
    Rule("alibaba-access-key-id", "api_key", _p("LTAI", "[A-Za-z0-9]{20}"), keywords=("ltai",)),
    Rule("heroku-api-key", "api_key", _p("HRKU-", "[A-Za-z0-9_-]{60}"), keywords=("hrku-",)),
    Rule("heroku-api-key-labelled", "api_key",
         _labelled("heroku", r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"),
         keywords=("heroku",)),
    Rule("ibm-cloud-api-key", "api_key", _labelled("ibm", r"[A-Za-z0-9_-]{44}"), keywords=("ibm",)),
    Rule("cloudflare-api-token", "api_key", _labelled("cloudflare|cf_api", r"[A-Za-z0-9_-]{40}"),
         keywords=("cloudflare", "cf_api")),
    Rule("flyio-token", "token", _p("fo1_", r"[\w-]{43}"), keywords=("fo1_",)),
    Rule("hashicorp-vault-token", "token", _p(r"hv[sb]\.", r"[A-Za-z0-9_-]{24,}"),
         keywords=("hvs.", "hvb.")),
    Rule("terraform-cloud-token", "token", r"(?<![A-Za-z0-9])[A-Za-z0-9]{14}\.atlasv1\.[A-Za-z0-9_=-]{60,70}",
         keywords=("atlasv1",)),
    Rule("planetscale-token", "token", _p("pscale_(?:tkn|oauth|pw)_", r"[A-Za-z0-9_.=-]{32,64}"),
         keywords=("pscale_",)),
    Rule("doppler-token", "token", _p(r"dp\.(?:pt|st|sa|ct|scim|audit)\.", "[A-Za-z0-9]{40,44}"),
         keywords=("dp.",)),
    Rule("pulumi-token", "token", _p("pul-", "[a-f0-9]{40}"), keywords=("pul-",)),
    # -- source hosting and CI -------------------------------------------------------------
    Rule("github-token", "api_key", _p("gh[pousr]_", "[A-Za-z0-9]{36,}"),
         keywords=("ghp_", "gho_", "ghu_", "ghs_", "ghr_")),
    Rule("github-fine-grained-pat", "api_key", _p("github_pat_", "[A-Za-z0-9_]{60,}"),
         keywords=("github_pat_",)),
    Rule("gitlab-token", "api_key",
         _p("gl(?:pat|dt|ptt|rt|cbt|oas|imt|ft|agent|soat)-", r"[A-Za-z0-9_-]{20,}"),
         keywords=("glpat-", "gldt-", "glptt-", "glrt-", "glcbt-", "gloas-", "glimt-", "glft-",
                   "glagent-", "glsoat-")),
    Rule("bitbucket-client-secret", "api_key", _labelled("bitbucket", r"[A-Za-z0-9=_-]{32,64}"),
         keywords=("bitbucket",)),
    Rule("bitbucket-app-password", "api_key", _p("ATBB", "[A-Za-z0-9_=.-]{28,}"),
         keywords=("atbb",)),
    Rule("atlassian-api-token", "api_key", _p("ATATT3", r"[A-Za-z0-9_\-=]{100,}"),
         keywords=("atatt3",)),
    Rule("circleci-token", "api_key", _p("CCIPAT_", "[A-Za-z0-9]{22}_[a-f0-9]{40}"),
         keywords=("ccipat_",)),
    Rule("circleci-token-labelled", "api_key", _labelled("circle(?:ci)?", "[a-f0-9]{40}"),
         keywords=("circle",)),
    Rule("travisci-token", "api_key", _labelled("travis", "[A-Za-z0-9_-]{22}"), keywords=("travis",)),
    Rule("docker-hub-pat", "api_key", _p("dckr_pat_", "[A-Za-z0-9_-]{27,}"), keywords=("dckr_pat_",)),
    Rule("sourcegraph-token", "api_key", _p("sgp_", "(?:[a-f0-9]{16}_)?[a-f0-9]{40}"),
         keywords=("sgp_",)),
    # -- chat and webhooks ---------------------------------------------------------------
    Rule("slack-token", "api_key", _p("xox[abposre]-", "[A-Za-z0-9-]{10,}"), keywords=("xox",)),
    Rule("slack-app-token", "api_key", _p("xapp-", r"\d-[A-Z0-9]+-\d+-[a-z0-9]+"),
         keywords=("xapp-",)),
    Rule("slack-webhook", "api_key",
         r"https?://hooks\.slack\.com/(?:services|workflows|triggers)/(?P<secret>[A-Za-z0-9+/_-]{20,})",
         keywords=("hooks.slack.com",)),
    Rule("discord-webhook", "api_key",
         r"https?://(?:ptb\.|canary\.)?discord(?:app)?\.com/api/webhooks/(?P<secret>\d+/[A-Za-z0-9_-]{30,})",
         keywords=("discord",)),
    Rule("discord-bot-token", "api_key",
         r"[MNO](?<![A-Za-z0-9_.-].)[A-Za-z\d_-]{23,27}\.[A-Za-z\d_-]{6}\.[A-Za-z\d_-]{27,40}(?![\w.-])"),
    Rule("teams-webhook", "api_key",
         r"https://[a-z0-9-]+\.webhook\.office\.com/webhookb2/(?P<secret>[A-Za-z0-9@/-]{40,}"
         r"IncomingWebhook/[A-Za-z0-9/-]{30,})", keywords=("webhook.office.com",)),
    Rule("telegram-bot-token", "api_key", r"(?<![\d:])\d{8,10}:AA[0-9A-Za-z_-]{33}(?![\w-])",
         keywords=(":aa",)),
    Rule("twilio-api-key", "api_key", _p("SK", "[0-9a-fA-F]{32}"), keywords=("sk",)),
    Rule("sendgrid-api-key", "api_key", _p(r"SG\.", r"[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}"),
         keywords=("sg.",)),
    Rule("mailgun-key", "api_key", _p("key-", "[0-9a-f]{32}"), keywords=("key-",)),
    Rule("mailchimp-api-key", "api_key", r"(?<![A-Za-z0-9])[0-9a-f]{32}-us\d{1,2}(?!\w)",
         keywords=("-us",)),
    Rule("postmark-token", "api_key",
         _labelled("postmark", "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"),
         keywords=("postmark",)),
    # -- payments --------------------------------------------------------------------------
    Rule("stripe-secret-key", "api_key", _p("(?:sk|rk)_(?:live|test|prod)_", "[A-Za-z0-9]{16,}"),
         keywords=("sk_", "rk_")),
    Rule("stripe-webhook-secret", "api_key", _p("whsec_", "[A-Za-z0-9]{32,}"), keywords=("whsec_",)),
    Rule("square-access-token", "api_key", _p("(?:EAAA|sq0atp-)", "[A-Za-z0-9_-]{22,60}"),
         keywords=("eaaa", "sq0atp-")),
    Rule("square-oauth-secret", "api_key", _p("sq0csp-", "[A-Za-z0-9_-]{43}"), keywords=("sq0csp-",)),
    Rule("paypal-braintree-token", "api_key",
         r"access_token\$(?:production|sandbox)\$[0-9a-z]{16}\$[0-9a-f]{32}",
         keywords=("access_token$",)),
    Rule("shopify-token", "api_key", _p("shp(?:at|ss|ca|pa)_", "[a-fA-F0-9]{32}"),
         keywords=("shpat_", "shpss_", "shpca_", "shppa_")),
    Rule("adyen-api-key", "api_key", _labelled("adyen", r"AQE[A-Za-z0-9+/=_-]{60,}"),
         keywords=("adyen",)),
    Rule("coinbase-secret", "api_key", _labelled("coinbase", r"[A-Za-z0-9_-]{64}"),
         keywords=("coinbase",)),
    # -- package registries ----------------------------------------------------------------
    Rule("npm-token", "api_key", _p("npm_", "[A-Za-z0-9]{36}"), keywords=("npm_",)),
    Rule("pypi-token", "api_key", _p("pypi-", "AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,}"),
         keywords=("pypi-",)),
    Rule("rubygems-token", "api_key", _p("rubygems_", "[a-f0-9]{48}"), keywords=("rubygems_",)),
    Rule("nuget-api-key", "api_key", _p("oy2", "[a-z0-9]{43}"), keywords=("oy2",)),
    Rule("clojars-token", "api_key", _p("CLOJARS_", "[a-z0-9]{60}"), keywords=("clojars_",)),
    Rule("cratesio-token", "api_key", _p("cio", "[a-zA-Z0-9]{32}"), keywords=("cio",)),
    Rule("jfrog-api-key", "api_key", _p("AKCp", "[A-Za-z0-9]{69}"), keywords=("akcp",)),
    # -- AI, data and developer services ---------------------------------------------------
    Rule("anthropic-api-key", "api_key", _p("sk-ant-(?:api|admin|sid)\\d{2}-", r"[A-Za-z0-9_-]{32,}"),
         keywords=("sk-ant-",)),
    Rule("openai-api-key", "api_key", _p("sk-(?:proj-|svcacct-|admin-)?", r"[A-Za-z0-9_-]{20,}"),
         keywords=("sk-",)),
    Rule("huggingface-token", "api_key", _p("(?:hf_|api_org_)", "[A-Za-z0-9]{30,}"),
         keywords=("hf_", "api_org_")),
    Rule("groq-api-key", "api_key", _p("gsk_", "[A-Za-z0-9]{48,}"), keywords=("gsk_",)),
    Rule("replicate-token", "api_key", _p("r8_", "[A-Za-z0-9]{37}"), keywords=("r8_",)),
    Rule("perplexity-api-key", "api_key", _p("pplx-", "[A-Za-z0-9]{48}"), keywords=("pplx-",)),
    Rule("new-relic-key", "api_key", _p("NR(?:AK|II|JS|RA)-", "[A-Za-z0-9]{19,27}"),
         keywords=("nrak-", "nrii-", "nrjs-", "nrra-")),
    Rule("datadog-api-key", "api_key", _labelled("datadog|dd_api|dd_app", "[a-f0-9]{32,40}"),
         keywords=("datadog", "dd_api", "dd_app")),
    Rule("sentry-token", "token", _p("sntry[su]_", r"[A-Za-z0-9+/=_-]{40,}"), keywords=("sntr",)),
    Rule("grafana-token", "token", _p("(?:glsa_|glc_)", r"[A-Za-z0-9+/_=]{32,}"),
         keywords=("glsa_", "glc_")),
    Rule("linear-api-key", "api_key", _p("lin_(?:api|oauth)_", "[A-Za-z0-9]{40}"), keywords=("lin_",)),
    Rule("notion-token", "api_key", _p("(?:secret_|ntn_)", "[A-Za-z0-9]{43,46}"),
         keywords=("secret_", "ntn_")),
    Rule("figma-token", "api_key", _p("fig[dou]_", r"[A-Za-z0-9_-]{40,}"),
         keywords=("figd_", "figo_", "figu_")),
    Rule("dropbox-token", "token", _p(r"sl\.", r"[A-Za-z0-9_-]{130,}"), keywords=("sl.",)),
    Rule("postman-api-key", "api_key", _p("PMAK-", "[a-f0-9]{24}-[a-f0-9]{34}"), keywords=("pmak-",)),
    Rule("facebook-access-token", "token", _p("EAA[MC]", "[A-Za-z0-9]{100,}"), keywords=("eaa",)),
    Rule("shippo-token", "api_key", _p("shippo_(?:live|test)_", "[a-f0-9]{40}"), keywords=("shippo_",)),
    Rule("okta-token", "api_key", _labelled("okta", r"00[A-Za-z0-9_-]{40}"), keywords=("okta",)),
    Rule("databricks-token", "api_key", _p("dapi", "[a-f0-9]{32}(?:-\\d)?"), keywords=("dapi",)),
    Rule("contentful-token", "token", _p("CFPAT-", r"[A-Za-z0-9_-]{43}"), keywords=("cfpat-",)),
    # -- generic shapes --------------------------------------------------------------------
    Rule("jwt", "token",
         r"(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}",
         keywords=("eyj",)),
    Rule("bearer-token", "token", r"(?i:\bbearer)\s+(?P<secret>[A-Za-z0-9._~+/-]{20,}=*)",
         keywords=("bearer",)),
    Rule("basic-auth-header", "token",
         r"(?i:authorization:\s*basic)\s+(?P<secret>[A-Za-z0-9+/]{12,}={0,2})", keywords=("basic",)),
    Rule("url-credentials", "password",
         r"://[^\s:/@\"'<>]{1,64}:(?P<secret>[^\s@/\"'<>]{3,128})@[\w.-]+",
         _CRED, keywords=("://",)),
    Rule("password-field", "password",
         r"(?i:\b(?:password|passwd|passphrase|pwd|kennwort|passwort|mot de passe"
         r"|contraseña|contrasena|senha|wachtwoord|parola d'ordine|lösenord|hasło|heslo|salasana"
         r"|adgangskode|passord|пароль|パスワード|密码|비밀번호))\s*[:=：]\s*"
         r"(?P<q>[\"']?)(?P<secret>[^\s\"']{4,128})",
         _CRED, keywords=("pass", "pwd", "kennwort", "mot de passe", "contrase", "senha",
                          "wachtwoord", "parola", "lösenord", "hasło", "heslo", "salasana",
                          "adgangskode", "пароль", "パスワード", "密码", "비밀번호"),
         validator=v.literal_plausible),
    Rule("pass-field", "password",
         r"(?i:\bpass)\s*[:=]\s*[\"']?(?P<secret>[^\s\"']{4,128})", _CRED, keywords=("pass",),
         validator=lambda value: v.literal_plausible(value) and not value.isalpha(),
         description="a bare 'pass:' label: its value must not be a plain word"),
    Rule("pin-field", "password", r"(?i:\bpin(?: code| number)?)[^\S\n]*[:=][^\S\n]*(?P<secret>\d{4,8})\b",
         _CRED, keywords=("pin",)),
    Rule("password-assignment", "password",
         rf"{PASSWORD_NAME}[A-Za-z0-9_.-]*[\"']?[^\S\n]*"
         r"(?::=|=>|=|:)[^\S\n]*(?P<secret>[\"'`]?[^\s\"'`,;]{4,200}[\"'`]?)",
         _CRED, keywords=("pass", "pwd"), validator=v.assigned_value_plausible,
         description="NAME=value where NAME names a password (DB_PASSWORD=, *_PASSWD:)"),
    Rule("secret-assignment", "api_key",
         rf"{SECRET_NAME}[A-Za-z0-9_.-]*[\"']?[^\S\n]*"
         r"(?::=|=>|=|:)[^\S\n]*(?P<secret>[\"'`]?[^\s\"'`,;]{6,200}[\"'`]?)",
         keywords=("secret", "token", "key", "credential", "dsn", "conn"),
         validator=v.assigned_value_plausible, reject=_METADATA_NAME,
         description="NAME=value / NAME: value where NAME looks secret (*_TOKEN=, *_SECRET=)"),
    Rule("labelled-key", "api_key",
         r"(?i:\b(?:api|access|secret|client|auth|app|private|signing)[ _-]?(?:key|secret|token)"
         r"|\btoken)\b[^\S\n]+(?:is[^\S\n]+)?(?P<secret>[A-Za-z0-9_\-./+]{16,}=*)",
         keywords=("key", "secret", "token"), validator=v.looks_random,
         description="an unlabelled high-entropy token beside a secret-looking name"),
    Rule("one-time-code", "one_time_code",
         r"(?i:\b(?:code|2fa|otp|one[- ]time (?:code|password)|verification|verify|security code"
         r"|passcode|código|codice|bestätigungscode|sicherheitscode)\b)"
         r"(?:[^\S\n]+(?i:code|is|was|number|to|enter|use))*[^\S\n]*[:#=]?[^\S\n]*"
         r"(?<![\d-])(?P<secret>\d{3}[ -]?\d{3}|\d{4}|\d{8})(?![\d-])",
         "other", "medium",
         keywords=("code", "2fa", "otp", "one-time", "one time", "verif", "passcode", "código",
                   "codice")),
    # -- money and identity numbers ----------------------------------------------------------
    Rule("card-number", "card_number", r"\d(?<![\d.,-].)(?:[ -]?\d){12,18}(?![\d-]|[.,]\d)", _ACCT,
         validator=v.card_valid),
    Rule("iban", "iban", r"[A-Z](?<![\w].)[A-Z]\d{2}(?: ?[A-Z0-9]){11,30}\b", _ACCT, validator=v.iban_valid),
    Rule("bank-account-number", "account_number",
         r"(?i:\b(?:account|acct|routing|sort code)(?: number| no\.?| #)?)\s*[:#]\s*"
         r"(?P<secret>\d[\d -]{4,22}\d)", _ACCT, keywords=("account", "acct", "routing", "sort code")),
    Rule("us-ssn", "national_id", r"\d(?<![\d-].)\d\d-\d\d-\d{4}(?![\d-])", "other",
         validator=v.ssn_valid),
    Rule("us-ssn-labelled", "national_id",
         r"(?i:\b(?:ssn|social security(?: number| no\.?)?))\s*[:#]?\s*(?P<secret>\d{3} ?\d{2} ?\d{4})\b",
         "other", keywords=("ssn", "social security"), validator=v.ssn_valid),
    Rule("uk-national-insurance", "national_id",
         r"[A-Z](?<![\w].)[A-Z] ?\d{2} ?\d{2} ?\d{2} ?[A-D]\b", "other", validator=v.nino_valid),
    Rule("ca-sin", "national_id",
         r"(?i:\b(?:sin|social insurance(?: number)?))\s*[:#]?\s*(?P<secret>\d{3}[ -]?\d{3}[ -]?\d{3})\b",
         "other", keywords=("sin", "social insurance"), validator=v.sin_valid),
    Rule("nl-bsn", "national_id",
         r"(?i:\b(?:bsn|burgerservicenummer))\s*[:#]?\s*(?P<secret>\d{9})\b", "other",
         keywords=("bsn", "burgerservice"), validator=v.bsn_valid),
    Rule("es-dni", "national_id",
         r"(?i:\b(?:dni|nie|nif|documento))[^\n\w]{0,12}(?P<secret>[XYZ]?\d{7,8}-?[A-HJ-NP-TV-Z])\b",
         "other", keywords=("dni", "nie", "nif", "documento"), validator=v.dni_valid),
    Rule("in-aadhaar", "national_id",
         r"(?i:\b(?:aadhaar|aadhar|uidai))[^\n\d]{0,20}(?P<secret>\d{4} ?\d{4} ?\d{4})\b", "other",
         keywords=("aadhaar", "aadhar", "uidai"), validator=v.aadhaar_valid),
)

LABELS = frozenset(rule.label for rule in RULES) | {"custom"}
