"""Django settings, read from the environment (see README, "Configuration").

DATABASE_URL   database; default SQLite in the data folder (WAL mode)
SECRET_KEY     default: generated once and kept in the data folder
DEBUG          off unless asked
ALLOWED_HOSTS  comma-separated; default the loopback names
KECHUANG_VAR_DIR  the data folder; default var/ in the checkout
KECHUANG_LOGIN_FAILURE_LIMIT, KECHUANG_LOGIN_COOLOFF_MINUTES, KECHUANG_PROXY_COUNT  login throttling
"""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import dj_database_url

from kechuang.env import env_bool, env_list, env_str, secret_key, var_dir

BASE_DIR = Path(__file__).resolve().parent
VAR_DIR = var_dir()

SECRET_KEY = secret_key(VAR_DIR)
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rules.apps.AutodiscoverRulesConfig",
    "simple_history",
    "django_filters",
    "ninja",
    "axes",
    "kechuang.common",
    "kechuang.core",
    "kechuang.market",
    "kechuang.matchmaking",
    "kechuang.pairing",
    "kechuang.cultivation",
    "kechuang.rdreport",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",  # turns a locked-out login into the lockout answer (kept last)
]

ROOT_URLCONF = "kechuang.urls"
WSGI_APPLICATION = "kechuang.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "kechuang.common.context.platform",
            ],
        },
    },
]

_SQLITE_DEFAULT = f"sqlite:///{VAR_DIR / 'kechuang.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(env_str("DATABASE_URL", _SQLITE_DEFAULT), conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
        "transaction_mode": "IMMEDIATE",
    }

AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "kechuang.common.lockout.LoginThrottleBackend",  # first: refuses a locked-out login before the password
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Login throttling (django-axes, kechuang/common/lockout.py): after this many failed logins for one
# account, that account's logins are refused for the cool-off (0 = until staff unlock them); after the
# much higher address limit, over all accounts, every login from that address (password spraying).
AXES_FAILURE_LIMIT = int(env_str("KECHUANG_LOGIN_FAILURE_LIMIT", "5"))
KECHUANG_LOGIN_ADDRESS_FAILURE_LIMIT = int(env_str("KECHUANG_LOGIN_ADDRESS_FAILURE_LIMIT", "50"))
AXES_HANDLER = "kechuang.common.lockout.LoginThrottleHandler"  # the two limits above
_COOLOFF_MINUTES = int(env_str("KECHUANG_LOGIN_COOLOFF_MINUTES", "30"))
AXES_COOLOFF_TIME = timedelta(minutes=_COOLOFF_MINUTES) if _COOLOFF_MINUTES > 0 else None
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # both recorded; LoginThrottleHandler applies the limits
AXES_RESET_ON_SUCCESS = True  # a successful login clears the account's earlier failures
AXES_ENABLE_ACCESS_FAILURE_LOG = True  # every failure recorded (admin: 登录失败记录)
AXES_DISABLE_ACCESS_LOG = True  # successful logins are not the point; failures are
AXES_ENABLE_ADMIN = False  # the admin pages of the attempts are scoped in core/admin.py
AXES_LOCKOUT_CALLABLE = "kechuang.common.lockout.lockout_response"
AXES_CLIENT_IP_CALLABLE = "kechuang.common.lockout.client_address"
AXES_HTTP_RESPONSE_CODE = 429
AXES_COOLOFF_MESSAGE = "登录失败次数过多，请稍后再试，或联系科技局管理员解除锁定。"
AXES_PERMALOCK_MESSAGE = "登录失败次数过多，账号已被锁定，请联系科技局管理员解除锁定。"
# Reverse proxies in front of the server (0: clients connect directly); the client address for
# per-address throttling is then read from X-Forwarded-For.
KECHUANG_PROXY_COUNT = int(env_str("KECHUANG_PROXY_COUNT", "0"))

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "static")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Serve straight from the app folders as well, so the demo works without collectstatic.
WHITENOISE_USE_FINDERS = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
SIMPLE_HISTORY_HISTORY_ID_USE_UUID = False
SIMPLE_HISTORY_REVERT_DISABLED = True  # history is a record, never a way around the forms and scopes

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", False)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", False)
X_FRAME_OPTIONS = "DENY"

# Matching indexes (the neighbouring zone is data: Region.neighbour, loaded with the region file).
KECHUANG_INDEX_DIR = VAR_DIR / "index"
# An R&D report form posts 15 fields per 107-1 project (up to 500 projects) besides the 107-2 items.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
# Uploads are cut off while they stream in once a file passes this size (kechuang/common/uploads.py).
KECHUANG_MAX_UPLOAD_MB = int(env_str("KECHUANG_MAX_UPLOAD_MB", "50"))
FILE_UPLOAD_HANDLERS = [
    "kechuang.common.uploads.SizeLimitUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
# Tiered cultivation: the bureau's open decisions (a JSON file of BureauConfig fields; unset = the spec's
# defaults) and the reference day of an evaluation year (MM-DD).
KECHUANG_CULTIVATION_CONFIG = env_str("KECHUANG_CULTIVATION_CONFIG", "") or None
KECHUANG_CULTIVATION_DAY = env_str("KECHUANG_CULTIVATION_DAY", "06-30")
# R&D statistics pre-review: the bureau's choice of warning rules, rule id → on/off (open decision 4),
# e.g. KECHUANG_RD_RULES='{"R16": true, "R20": true}'; unset = the rules file's defaults.
KECHUANG_RD_RULES = json.loads(env_str("KECHUANG_RD_RULES", "") or "{}")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # a refused request (403, 400) is one warning line, not a traceback (kechuang.common.log_filters)
    "filters": {"client_errors_one_line": {"()": "kechuang.common.log_filters.ClientErrorsOneLine"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"django.request": {"filters": ["client_errors_one_line"]}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}
