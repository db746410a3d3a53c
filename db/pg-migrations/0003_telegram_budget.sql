CREATE TABLE "telegram_budget" (
	"scope" text PRIMARY KEY NOT NULL,
	"next_at" bigint DEFAULT 0 NOT NULL,
	"hold_ends_at" bigint DEFAULT 0 NOT NULL
);
