CREATE TABLE "handled_updates" (
	"update_id" integer PRIMARY KEY NOT NULL,
	"handled_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE INDEX "handled_updates_at" ON "handled_updates" USING btree ("handled_at");