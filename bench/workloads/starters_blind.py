"""Blind workload for the starter template library: agent requests that a starter should (or must not) serve.

Written without reading the matcher or the starters' matching rules (no ``learning/``, ``codegen/``,
``tasks/``, ``flows/``, ``validation/``, ``simulator/``, ``docs/templates.md`` or their tests): only the
README, ``bench/README.md`` and what a user sees through ``q2o templates list`` / ``q2o templates show``
(each starter's name, description and code).

``REQUESTS`` is a list of dicts::

    {"task": str, "stack": list[str], "expect": str | None, "entity": list[str] | None, "note": str}

* ``expect`` is a starter's ``name`` exactly as ``q2o templates list`` prints it when that starter's code is a
  right answer for the request (same job, nothing more and nothing less asked), else None.
* ``entity`` is the entity's words, lower case and singular, that a right render must use (None when
  ``expect`` is None). Descriptor words ("the invoice table", "customer records", "the ticket entity",
  "accounts", "the ... API", "the ... service") are not part of the entity; words that only look like
  descriptors but name the thing ("record label", "medical record", "saved search") are.
* ``note`` is one short phrase. For None cases it starts with the kind of miss, then a colon:
  ``plus-one`` (the starter's job plus one requirement), ``changed`` (one requirement swapped: async,
  older library version, another algorithm or backend), ``less`` (part of the job only), ``other-framework``
  (the same job on a library no starter uses), ``other-output`` (another artefact of the same subject),
  ``other-job`` (a different job that shares the starter's words), ``combo`` (two starters' jobs or two
  entities in one request), ``unrelated`` (shares words only).

Self-check: ``.venv/bin/python bench/workloads/check_starters_blind.py``.
"""
from __future__ import annotations

# --------------------------------------------------------------------------
# the starters, by the names `q2o templates list` prints
# --------------------------------------------------------------------------

ALEMBIC_MIGRATION = "alembic,python: Migration creating the ⟦entity:title⟧ table"
ASYNCIO_SYNC_JOB = "asyncio,python: Periodic background job to sync ⟦entity:title⟧ records"
DJANGO_MODEL = "django,python: Django model for ⟦entity:title⟧"
FASTAPI_CRUD = "fastapi,python: CRUD API for ⟦entity:title⟧ records"
FASTAPI_JWT = "fastapi,python: JWT auth dependency for ⟦entity:title⟧ accounts"
FASTAPI_SEARCH = "fastapi,python: Search endpoint with filters for ⟦entity:title⟧ records"
FASTAPI_WEBHOOK_RECEIVER = (
    "fastapi,python: Webhook receiver for ⟦entity:title⟧ events with HMAC signature verification")
FLASK_CRUD = "flask,python: CRUD API for ⟦entity:title⟧ records"
HTTPX_CLIENT = "httpx,python: Retrying REST client for the ⟦entity:title⟧ API"
HTTPX_WEBHOOK_SENDER = "httpx,python: Webhook sender for ⟦entity:title⟧ events with HMAC signing"
PYDANTIC_SCHEMAS = "pydantic,python: Pydantic schemas for ⟦entity:title⟧"
SETTINGS_CLASS = "pydantic-settings,python: Settings class for the ⟦entity:title⟧ service"
PYTEST_REPOSITORY = "pytest,python: Pytest tests for the ⟦entity:title⟧ repository"
SQLALCHEMY_MODEL = "python,sqlalchemy: SQLAlchemy model for ⟦entity:title⟧"
SQLALCHEMY_REPOSITORY = "python,sqlalchemy: Repository for ⟦entity:title⟧ records"
TYPER_CSV_LOADER = "python,typer: Typer CLI command to load ⟦entity:title⟧ records from CSV"

STARTERS = (
    ALEMBIC_MIGRATION, ASYNCIO_SYNC_JOB, DJANGO_MODEL, FASTAPI_CRUD, FASTAPI_JWT, FASTAPI_SEARCH,
    FASTAPI_WEBHOOK_RECEIVER, FLASK_CRUD, HTTPX_CLIENT, HTTPX_WEBHOOK_SENDER, PYDANTIC_SCHEMAS,
    SETTINGS_CLASS, PYTEST_REPOSITORY, SQLALCHEMY_MODEL, SQLALCHEMY_REPOSITORY, TYPER_CSV_LOADER,
)

REQUESTS: list[dict] = []


def _hit(task: str, stack: list[str], expect: str, entity: str, note: str) -> None:
    REQUESTS.append({"task": task, "stack": stack, "expect": expect, "entity": entity.split(), "note": note})


def _miss(task: str, stack: list[str], note: str) -> None:
    REQUESTS.append({"task": task, "stack": stack, "expect": None, "entity": None, "note": note})


PY_ALEMBIC = ["python", "alembic"]
PY_ASYNCIO = ["python", "asyncio"]
PY_DJANGO = ["python", "django"]
PY_FASTAPI = ["python", "fastapi"]
PY_FLASK = ["python", "flask"]
PY_HTTPX = ["python", "httpx"]
PY_PYDANTIC = ["python", "pydantic"]
PY_SETTINGS = ["python", "pydantic-settings"]
PY_PYTEST = ["python", "pytest"]
PY_SQLALCHEMY = ["python", "sqlalchemy"]
PY_TYPER = ["python", "typer"]

# ==========================================================================
# expected hits
# ==========================================================================

# --- alembic: migration creating a table ----------------------------------
_hit("Migration creating the invoice table", PY_ALEMBIC, ALEMBIC_MIGRATION, "invoice",
     "the starter's words, one-word entity")
_hit("Write an Alembic migration that creates the purchase_orders table.", ["Python", "Alembic"],
     ALEMBIC_MIGRATION, "purchase order", "snake_case plural table name")
_hit("Task: Alembic revision creating a table\nEntity: TrackingEvent\nRequirements:\n- named primary key and "
     "unique constraint\n- index on status\n- server defaults for status and timestamps\n- downgrade drops "
     "everything in reverse", PY_ALEMBIC, ALEMBIC_MIGRATION, "tracking event",
     "agent-prompt style, PascalCase entity")
_hit("hey, need an alembic migration to create the table for lab analyses (id, reference, title, status, "
     "timestamps) - downgrade should drop it", ["alembic", "python"], ALEMBIC_MIGRATION, "lab analysis",
     "chatty, irregular plural analyses")
_hit("Migration creating the MIGRATION_LOG table", PY_ALEMBIC, ALEMBIC_MIGRATION, "migration log",
     "UPPER_SNAKE entity that repeats the job's word")

# --- asyncio: periodic sync job -------------------------------------------
_hit("Periodic background job to sync supplier records", PY_ASYNCIO, ASYNCIO_SYNC_JOB, "supplier",
     "the starter's words, 'records' descriptor")
_hit("I need an asyncio background worker that syncs CalendarEvent records from the upstream source every 5 "
     "minutes, with graceful shutdown on SIGTERM and backoff when a pass fails.", ["Python", "asyncio"],
     ASYNCIO_SYNC_JOB, "calendar event", "paraphrase with the starter's own requirements")
_hit("Task: periodic sync job\nEntity: job posting\nRequirements: fetch only entries changed since the last "
     "pass, idempotent upsert into the sink, stop cleanly on SIGINT/SIGTERM", PY_ASYNCIO, ASYNCIO_SYNC_JOB,
     "job posting", "entity word 'job' collides with the job")
_hit("Background job (asyncio) that periodically syncs our contact people from the CRM into the local store",
     PY_ASYNCIO, ASYNCIO_SYNC_JOB, "contact person", "irregular plural people")
_hit("periodic sync of exchange_rate records, every interval, log each pass", PY_ASYNCIO, ASYNCIO_SYNC_JOB,
     "exchange rate", "terse, snake_case entity")

# --- django: model --------------------------------------------------------
_hit("Django model for Blog Post", PY_DJANGO, DJANGO_MODEL, "blog post", "the starter's words, two-word title")
_hit("Create a Django model for the Recipe entity, registered in the admin with list filters and search.",
     ["Python", "Django"], DJANGO_MODEL, "recipe", "'the X entity' descriptor, admin asked")
_hit("django model + ModelAdmin for course enrollments: slug, active flag, created/updated timestamps",
     PY_DJANGO, DJANGO_MODEL, "course enrollment", "plural entity, requirement list after a colon")
_hit("Django model for categories", PY_DJANGO, DJANGO_MODEL, "category", "-ies plural")
_hit("Task: Django model\nEntity: LibraryBranch\nRequirements: unique slug, is_active flag, newest first "
     "ordering, registered in the admin", ["django", "python"], DJANGO_MODEL, "library branch",
     "agent-prompt style, -es plural word")

# --- fastapi: CRUD API ----------------------------------------------------
_hit("CRUD API for customer records", PY_FASTAPI, FASTAPI_CRUD, "customer", "the starter's words")
_hit("Build a FastAPI CRUD router for PurchaseOrder: list with pagination, get, create, patch, delete, 404 when "
     "missing.", ["Python", "FastAPI"], FASTAPI_CRUD, "purchase order", "PascalCase entity, requirement list")
_hit("CRUD API for Record Label records", PY_FASTAPI, FASTAPI_CRUD, "record label",
     "entity word 'record' collides with the descriptor")
_hit("Need REST CRUD endpoints in FastAPI for the `time_entry` resource (paginated list, get by id, create, "
     "partial update, delete)", PY_FASTAPI, FASTAPI_CRUD, "time entry", "backticked snake_case, generic words")
_hit("crud endpoints for people", ["fastapi"], FASTAPI_CRUD, "person",
     "terse, irregular plural, stack without python")

# --- fastapi: JWT auth dependency -----------------------------------------
_hit("JWT auth dependency for Customer accounts", PY_FASTAPI, FASTAPI_JWT, "customer",
     "the starter's words, 'accounts' descriptor")
_hit("FastAPI dependency that authenticates Driver accounts with a JWT bearer token: HS256 only, exp and sub "
     "required, 401 with WWW-Authenticate, plus a role check", PY_FASTAPI, FASTAPI_JWT, "driver",
     "the starter's requirements spelt out")
_hit("Task: JWT auth dependency\nEntity: clinic staff member\nRequirements: bearer token, secret from the "
     "environment, optional issuer and audience checks", PY_FASTAPI, FASTAPI_JWT, "clinic staff member",
     "three-word entity, agent-prompt style")
_hit("jwt bearer auth for our vendor_user accounts in fastapi (secret from env, optional issuer/audience)",
     ["fastapi", "python"], FASTAPI_JWT, "vendor user", "lower case chatty, snake_case entity")
_hit("JWT auth dependency for the Tenant Admin accounts", PY_FASTAPI, FASTAPI_JWT, "tenant admin",
     "determiner before the entity")

# --- fastapi: search endpoint ---------------------------------------------
_hit("Search endpoint with filters for property listing records", PY_FASTAPI, FASTAPI_SEARCH, "property listing",
     "the starter's words, two-word entity")
_hit("FastAPI search endpoint for SupportTicket: free-text query, status filter, created date range, sortable "
     "columns, paginated with a total count", ["Python", "FastAPI"], FASTAPI_SEARCH, "support ticket",
     "requirement list matching the starter")
_hit("Search endpoint with filters for saved search records", PY_FASTAPI, FASTAPI_SEARCH, "saved search",
     "entity word 'search' collides with the job")
_hit("I need a filtered search API over our job applications (text q, status, date from/to, sort, offset/limit)",
     PY_FASTAPI, FASTAPI_SEARCH, "job application", "chatty paraphrase, plural entity")
_hit("Search endpoint with filters for the Vehicle entity", PY_FASTAPI, FASTAPI_SEARCH, "vehicle",
     "'the X entity' descriptor")

# --- fastapi: webhook receiver --------------------------------------------
_hit("Webhook receiver for Subscription events with HMAC signature verification", PY_FASTAPI,
     FASTAPI_WEBHOOK_RECEIVER, "subscription", "the starter's words")
_hit("FastAPI endpoint to receive Payment Refund webhooks and verify their HMAC-SHA256 signature (timestamp + "
     "raw body, constant-time compare, reject replays)", PY_FASTAPI, FASTAPI_WEBHOOK_RECEIVER, "payment refund",
     "paraphrase with the starter's requirements")
_hit("Task: inbound webhook endpoint with HMAC signature check\nEntity: BuildPipeline\nRequirements: secret from "
     "the environment, timestamp tolerance against replays", ["python", "FastAPI"], FASTAPI_WEBHOOK_RECEIVER,
     "build pipeline", "agent-prompt style, PascalCase")
_hit("Receive webhook_delivery events in FastAPI, verifying the HMAC signature", PY_FASTAPI,
     FASTAPI_WEBHOOK_RECEIVER, "webhook delivery", "entity word 'webhook' collides with the job")
_hit("inbound webhook handler for shipment events - verify HMAC signatures with a secret from the env",
     PY_FASTAPI, FASTAPI_WEBHOOK_RECEIVER, "shipment", "lower case, 'handler' for 'receiver'")

# --- flask: CRUD API ------------------------------------------------------
_hit("CRUD API for Warehouse records", PY_FLASK, FLASK_CRUD, "warehouse", "the starter's words on flask")
_hit("Flask blueprint with CRUD endpoints for LoyaltyCard: paginated list, get, create, partial update, delete, "
     "JSON validation errors and 404s", ["Python", "Flask"], FLASK_CRUD, "loyalty card",
     "requirement list matching the starter")
_hit("CRUD API for order line items", ["Flask", "Python"], FLASK_CRUD, "order line item",
     "three-word entity, plural, stack order swapped")
_hit("Flask REST CRUD for the Ticket entity", PY_FLASK, FLASK_CRUD, "ticket", "'the X entity' descriptor")
_hit("Task: CRUD API\nEntity: grading criteria\nStack: Flask", PY_FLASK, FLASK_CRUD, "grading criterion",
     "irregular plural criteria, agent-prompt style")

# --- httpx: retrying REST client ------------------------------------------
_hit("Retrying REST client for the Weather API", PY_HTTPX, HTTPX_CLIENT, "weather", "the starter's words")
_hit("httpx client for the Payment Gateway API with retries: exponential backoff with jitter on 429 and 5xx, "
     "honour Retry-After, timeouts, API key from env", PY_HTTPX, HTTPX_CLIENT, "payment gateway",
     "requirement list matching the starter")
_hit("Retrying REST client for the Currency Exchange API", ["Python", "HTTPX"], HTTPX_CLIENT, "currency exchange",
     "two-word entity, stack case")
_hit("Write a resilient httpx client for the Inventory API - retry with backoff on 429/5xx and connection errors, "
     "idempotency keys on POST, typed errors", PY_HTTPX, HTTPX_CLIENT, "inventory",
     "chatty paraphrase, 'resilient' for 'retrying'")
_hit("Task: retrying REST client\nEntity: CustomerProfile\nRequirements: base URL and API key from the "
     "environment, timeouts, backoff on 429/5xx", ["httpx", "python"], HTTPX_CLIENT, "customer profile",
     "agent-prompt style")

# --- httpx: webhook sender ------------------------------------------------
_hit("Webhook sender for Invoice events with HMAC signing", PY_HTTPX, HTTPX_WEBHOOK_SENDER, "invoice",
     "the starter's words")
_hit("Send outbound webhooks for OrderShipment events with httpx: HMAC-SHA256 signature over timestamp and body, "
     "event id header for de-dup, retry with backoff", PY_HTTPX, HTTPX_WEBHOOK_SENDER, "order shipment",
     "paraphrase with the starter's requirements")
_hit("webhook sender for webhook subscription events, signed with HMAC", PY_HTTPX, HTTPX_WEBHOOK_SENDER,
     "webhook subscription", "entity word 'webhook' collides with the job")
_hit("Task: signed webhook dispatcher\nEntity: loan application\nRequirements: HMAC signing, timeouts, retries "
     "on 408/429/5xx", PY_HTTPX, HTTPX_WEBHOOK_SENDER, "loan application", "agent-prompt style, 'dispatcher'")

# --- pydantic: schemas ----------------------------------------------------
_hit("Pydantic schemas for Employee", PY_PYDANTIC, PYDANTIC_SCHEMAS, "employee", "the starter's words")
_hit("Pydantic v2 schemas for StatusReport: base, Create, Update (all fields optional) and Read (from ORM "
     "attributes, with id and timestamps)", ["Python", "Pydantic v2"], PYDANTIC_SCHEMAS, "status report",
     "generic-word entity, versioned stack")
_hit("pydantic models (create/update/read) for soil analyses", PY_PYDANTIC, PYDANTIC_SCHEMAS, "soil analysis",
     "irregular plural analyses")
_hit("Pydantic schemas for the Coupon entity", PY_PYDANTIC, PYDANTIC_SCHEMAS, "coupon",
     "'the X entity' descriptor")
_hit("Task: request/response schemas\nEntity: TIME_ENTRY\nRequirements: create, partial update and read "
     "schemas", PY_PYDANTIC, PYDANTIC_SCHEMAS, "time entry", "UPPER_SNAKE entity, agent-prompt style")

# --- pydantic-settings: settings class ------------------------------------
_hit("Settings class for the Notification service", PY_SETTINGS, SETTINGS_CLASS, "notification",
     "the starter's words")
_hit("pydantic-settings Settings for the search service: env prefix, optional .env, secrets as SecretStr, one "
     "cached instance", PY_SETTINGS, SETTINGS_CLASS, "search", "entity collides with another starter's job")
_hit("Settings class for the Fraud Detection service", ["Python", "pydantic-settings"], SETTINGS_CLASS,
     "fraud detection", "two-word entity")
_hit("Task: service configuration class\nEntity: email_gateway\nRequirements: env prefix, .env file support, "
     "validated ranges and choices", PY_SETTINGS, SETTINGS_CLASS, "email gateway", "agent-prompt style, snake")

# --- pytest: repository tests ---------------------------------------------
_hit("Pytest tests for the Book repository", PY_PYTEST, PYTEST_REPOSITORY, "book", "the starter's words")
_hit("Write pytest tests for the MedicationDose repository: add, get, paginated list, update, delete, and "
     "not-found/duplicate errors, with fixtures", PY_PYTEST, PYTEST_REPOSITORY, "medication dose",
     "requirement list matching the starter")
_hit("pytest suite for the test run repository", PY_PYTEST, PYTEST_REPOSITORY, "test run",
     "entity word 'test' collides with the job")
_hit("unit tests with pytest for the parking spot repository", ["Python", "pytest"], PYTEST_REPOSITORY,
     "parking spot", "lower case paraphrase")
_hit("Pytest tests for the Address repository", PY_PYTEST, PYTEST_REPOSITORY, "address", "-es plural word")

# --- sqlalchemy: model ----------------------------------------------------
_hit("SQLAlchemy model for the invoice table", PY_SQLALCHEMY, SQLALCHEMY_MODEL, "invoice",
     "'the X table' descriptor")
_hit("SQLAlchemy 2.0 declarative model for PurchaseRequisition with typed Mapped columns, a unique reference and "
     "created_at/updated_at set by the database", ["Python", "SQLAlchemy 2.0"], SQLALCHEMY_MODEL,
     "purchase requisition", "versioned stack, the starter's requirements")
_hit("Add the Order model in SQLAlchemy", PY_SQLALCHEMY, SQLALCHEMY_MODEL, "order",
     "'the X model' descriptor, common word")
_hit("sqlalchemy model: audit_log_entry", ["sqlalchemy", "python"], SQLALCHEMY_MODEL, "audit log entry",
     "terse, three-word snake_case")
_hit("SQLAlchemy model for Line Item", PY_SQLALCHEMY, SQLALCHEMY_MODEL, "line item", "generic-word entity")

# --- sqlalchemy: repository -----------------------------------------------
_hit("Repository for Customer Address records", PY_SQLALCHEMY, SQLALCHEMY_REPOSITORY, "customer address",
     "the starter's words")
_hit("SQLAlchemy 2 repository class for Subscription Plan: get, get by code, filtered page with count, add, "
     "update, delete - the caller owns the session", ["Python", "SQLAlchemy"], SQLALCHEMY_REPOSITORY,
     "subscription plan", "requirement list matching the starter")
_hit("Repository for medical records", PY_SQLALCHEMY, SQLALCHEMY_REPOSITORY, "medical record",
     "'record' is part of the entity, not a descriptor")
_hit("data-access repository (sqlalchemy) for the Tournament entity", PY_SQLALCHEMY, SQLALCHEMY_REPOSITORY,
     "tournament", "chatty, 'the X entity'")
_hit("Task: repository layer\nEntity: people\nStack: SQLAlchemy", PY_SQLALCHEMY, SQLALCHEMY_REPOSITORY, "person",
     "irregular plural as the entity line")

# --- typer: CSV loader ----------------------------------------------------
_hit("Typer CLI command to load product records from CSV", PY_TYPER, TYPER_CSV_LOADER, "product",
     "the starter's words")
_hit("Typer command that imports ServiceTicket rows from a CSV file: check required columns, validate each row "
     "with pydantic, report bad rows by line number, --dry-run and --strict", PY_TYPER, TYPER_CSV_LOADER,
     "service ticket", "requirement list matching the starter")
_hit("CLI (typer) to load ledger accounts from a CSV file", ["Python", "Typer"], TYPER_CSV_LOADER,
     "ledger account", "chatty, plural entity")
_hit("Typer CLI command to load import job records from CSV", PY_TYPER, TYPER_CSV_LOADER, "import job",
     "entity word 'import' collides with the job")
_hit("Task: CSV loader command\nEntity: Species Observation\nStack: typer\nRequirements: required columns "
     "checked, bad rows reported by line, dry-run flag", PY_TYPER, TYPER_CSV_LOADER, "species observation",
     "agent-prompt style, word with plural equal to singular")

# ==========================================================================
# None: near misses and distractors
# ==========================================================================

# --- around the alembic migration -----------------------------------------
_miss("Migration creating the invoice table with a foreign key to customers and an ON DELETE CASCADE",
      PY_ALEMBIC, "plus-one: foreign key")
_miss("Alembic migration adding a due_date column to the invoices table", PY_ALEMBIC,
      "other-job: alter table, not create")
_miss("Alembic migration that drops the legacy_orders table", PY_ALEMBIC, "other-job: drop instead of create")
_miss("Migration creating the shipment table, as a Flyway SQL script", ["sql", "flyway"],
      "other-framework: Flyway")
_miss("SQLAlchemy model for Shipment and the Alembic migration that creates its table", ["python", "sqlalchemy",
      "alembic"], "combo: model plus migration")

# --- around the asyncio sync job ------------------------------------------
_miss("Periodic background job to sync supplier records with Celery beat", ["python", "celery"],
      "other-framework: Celery beat")
_miss("One-off asyncio script that syncs supplier records once and exits", PY_ASYNCIO,
      "less: one pass, no loop")
_miss("asyncio job that syncs calendar events both ways between two calendars, with conflict resolution",
      PY_ASYNCIO, "plus-one: bidirectional with conflicts")
_miss("Periodic background job to purge expired session records", PY_ASYNCIO, "other-job: purge, not sync")
_miss("Periodic background job to sync supplier records, distributed-locked in Redis so only one replica runs it",
      ["python", "asyncio", "redis"], "plus-one: distributed lock")

# --- around the django model ----------------------------------------------
_miss("Django REST Framework serializer and viewset for Blog Post", ["python", "django", "djangorestframework"],
      "other-output: DRF serializer and viewset")
_miss("Django model for Recipe with soft delete (deleted_at and a manager that hides deleted rows)", PY_DJANGO,
      "plus-one: soft delete")
_miss("Django model for Recipe with fields title, prep_minutes, servings and a ManyToMany to Ingredient",
      PY_DJANGO, "plus-one: specific fields and relation")
_miss("Django ModelForm for the Recipe model with custom clean()", PY_DJANGO, "other-output: form")
_miss("Django admin action to export the selected Recipe rows to CSV", PY_DJANGO, "other-job: admin export")

# --- around the fastapi CRUD API ------------------------------------------
_miss("CRUD API for customer records persisted with SQLAlchemy in PostgreSQL", ["python", "fastapi",
      "sqlalchemy"], "changed: database instead of in-memory store")
_miss("Async CRUD API for customer records backed by MongoDB (motor)", ["python", "fastapi", "motor"],
      "changed: MongoDB backend")
_miss("Read-only API for customer records: list and get, nothing else", PY_FASTAPI, "less: read-only")
_miss("GraphQL API with queries and mutations for customer records (Strawberry)", ["python", "fastapi",
      "strawberry"], "other-framework: GraphQL")
_miss("CRUD API for customer records where every route requires a JWT bearer token", PY_FASTAPI,
      "combo: CRUD plus JWT auth")

# --- around the JWT dependency --------------------------------------------
_miss("JWT auth dependency for Customer accounts verifying RS256 tokens against a JWKS endpoint", PY_FASTAPI,
      "changed: RS256 with JWKS")
_miss("OAuth2 password-flow login endpoint that issues JWTs for Customer accounts", PY_FASTAPI,
      "other-job: issue tokens, not verify")
_miss("JWT auth decorator for Customer accounts in a Flask app", PY_FLASK, "other-framework: Flask")
_miss("JWT auth dependency for Driver accounts that also checks a token revocation list in Redis",
      ["python", "fastapi", "redis"], "plus-one: revocation list")

# --- around the search endpoint -------------------------------------------
_miss("Search endpoint with filters for property listing records backed by Elasticsearch",
      ["python", "fastapi", "elasticsearch"], "changed: Elasticsearch backend")
_miss("Search endpoint with filters for property listings using cursor (keyset) pagination instead of "
      "offset", PY_FASTAPI, "changed: keyset pagination")
_miss("Search endpoint with filters for vehicle records in Flask", PY_FLASK, "other-framework: Flask")
_miss("React search bar component with filters for vehicle records", ["typescript", "react"],
      "unrelated: front-end component")

# --- around the webhook receiver ------------------------------------------
_miss("Webhook receiver for Stripe payment events using stripe.Webhook.construct_event", ["python", "fastapi",
      "stripe"], "changed: vendor SDK instead of own HMAC")
_miss("Webhook receiver for Subscription events, no signature check, just log the payload and return 200",
      PY_FASTAPI, "less: no signature verification")
_miss("Webhook receiver for Subscription events with HMAC signature verification that enqueues each event to a "
      "Redis stream for a worker", ["python", "fastapi", "redis"], "plus-one: queue to Redis")
_miss("Receive GitHub push webhooks and verify the X-Hub-Signature-256 header (HMAC over the body only)",
      PY_FASTAPI, "changed: GitHub signing scheme, no timestamp")
_miss("Webhook receiver for Shipment events with HMAC signature verification", PY_HTTPX,
      "other-job: receiver asked on the sender's stack")

# --- around the flask CRUD API --------------------------------------------
_miss("CRUD API for Warehouse records with Flask-RESTX and Swagger docs", ["python", "flask", "flask-restx"],
      "other-framework: Flask-RESTX")
_miss("Flask CRUD API for warehouse records persisted with Flask-SQLAlchemy", ["python", "flask",
      "flask-sqlalchemy"], "changed: database instead of in-memory store")
_miss("CRUD API for Warehouse records, with @login_required on the write routes", PY_FLASK,
      "plus-one: login required")

# --- around the httpx client ----------------------------------------------
_miss("Async retrying REST client for the Weather API on httpx.AsyncClient", PY_HTTPX, "changed: async client")
_miss("Retrying REST client for the Weather API with requests and urllib3 Retry", ["python", "requests"],
      "other-framework: requests")
_miss("Plain httpx client for the Weather API, no retries, raise on any error", PY_HTTPX,
      "less: no retries")
_miss("GraphQL client for the Inventory API with httpx", PY_HTTPX, "other-job: GraphQL client")
_miss("Retrying REST client for the Weather API that caches GET responses in Redis", ["python", "httpx",
      "redis"], "plus-one: response cache")

# --- around the webhook sender --------------------------------------------
_miss("Webhook sender for Invoice events signed with an Ed25519 private key", PY_HTTPX,
      "changed: asymmetric signature")
_miss("Webhook sender for Invoice events with HMAC signing that stores failed deliveries in a Postgres "
      "dead-letter table", ["python", "httpx", "postgresql"], "plus-one: dead-letter table")
_miss("Admin page to register webhook endpoints for Invoice events", PY_FASTAPI,
      "other-job: subscription management")

# --- around the pydantic schemas ------------------------------------------
_miss("Pydantic v1 schemas for Employee with orm_mode and @validator", ["python", "pydantic<2"],
      "changed: pydantic v1")
_miss("Pydantic schemas for Employee plus the SQLAlchemy model and a CRUD router", ["python", "pydantic",
      "sqlalchemy", "fastapi"], "combo: schemas, model and router")
_miss("Marshmallow schemas for Employee", ["python", "marshmallow"], "other-framework: marshmallow")
_miss("JSON Schema document (draft 2020-12) describing an Employee", ["json-schema"],
      "other-output: JSON Schema file")
_miss("Pydantic schemas for Employee and Department", PY_PYDANTIC, "combo: two entities")
_miss("Pydantic schemas for Employee with a validator that rejects e-mail domains outside an allow-list",
      PY_PYDANTIC, "plus-one: custom validator")

# --- around the settings class --------------------------------------------
_miss("Settings class for the Notification service using dynaconf", ["python", "dynaconf"],
      "other-framework: dynaconf")
_miss("Settings class for the Notification service that loads its secrets from AWS Secrets Manager",
      ["python", "pydantic-settings", "boto3"], "plus-one: AWS Secrets Manager")
_miss("Settings page (HTML form) for the Notification service", ["python", "fastapi", "jinja2"],
      "unrelated: shares the words")
_miss("Dockerfile for the Billing service", ["docker"], "unrelated: other output for a service")

# --- around the pytest repository tests -----------------------------------
_miss("Pytest tests for the Book repository against a real PostgreSQL started with testcontainers",
      ["python", "pytest", "testcontainers"], "changed: real database")
_miss("unittest.TestCase tests for the Book repository", ["python", "unittest"], "other-framework: unittest")
_miss("Pytest tests for the Book API endpoints with FastAPI's TestClient", ["python", "pytest", "fastapi"],
      "other-job: API tests, not repository tests")
_miss("Set up pytest-cov coverage reporting in GitHub Actions", ["python", "pytest"], "unrelated: CI setup")

# --- around the sqlalchemy model ------------------------------------------
_miss("SQLAlchemy model for the invoice table with soft delete (deleted_at and a default query filter)",
      PY_SQLALCHEMY, "plus-one: soft delete")
_miss("SQLAlchemy 1.3 classic declarative model for Invoice (Column attributes, no Mapped typing)",
      ["python", "sqlalchemy==1.3"], "changed: old SQLAlchemy")
_miss("SQLModel model for Invoice", ["python", "sqlmodel"], "other-framework: SQLModel")
_miss("SQLAlchemy model for Invoice with a one-to-many relationship to InvoiceLine", PY_SQLALCHEMY,
      "combo: two entities with relationship")
_miss("SQLAlchemy model for Invoice with columns amount_cents, currency and due_date", PY_SQLALCHEMY,
      "plus-one: specific columns")

# --- around the sqlalchemy repository -------------------------------------
_miss("Async repository for Customer Address records on AsyncSession", PY_SQLALCHEMY, "changed: async")
_miss("Repository for Customer Address records that commits its own transactions and retries on deadlock",
      PY_SQLALCHEMY, "changed: repository owns the transaction")
_miss("Job that mirrors every Git repository of the organisation nightly", ["python", "gitpython"],
      "unrelated: 'repository' means Git")
_miss("Repository for Tournament records with a Redis read-through cache", ["python", "sqlalchemy", "redis"],
      "plus-one: cache")

# --- around the typer CSV loader ------------------------------------------
_miss("Typer CLI command to export product records to CSV", PY_TYPER, "other-job: export, not load")
_miss("Typer CLI command to load product records from an Excel .xlsx file", ["python", "typer", "openpyxl"],
      "changed: Excel input")
_miss("Click command to load product records from CSV", ["python", "click"], "other-framework: click")
_miss("Typer CLI command to load product records from CSV straight into PostgreSQL with COPY",
      ["python", "typer", "psycopg"], "changed: writes to a database")

# --- distractors across starters ------------------------------------------
_miss("Explain the difference between a SQLAlchemy model and a Pydantic schema", ["python"],
      "unrelated: question, not code")
_miss("Rate-limiting middleware for the FastAPI app", PY_FASTAPI, "unrelated: middleware")
_miss("Migration guide from Flask to FastAPI for the customer API", ["python", "flask", "fastapi"],
      "unrelated: 'migration' means porting")
_miss("Periodic email digest of overdue invoice records", PY_ASYNCIO, "other-job: send e-mail")
_miss("Sync the invoice table schema between staging and production databases", PY_SQLALCHEMY,
      "unrelated: schema diff")
