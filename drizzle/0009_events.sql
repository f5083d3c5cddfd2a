CREATE TABLE "event_commits" (
	"tenant_id" uuid NOT NULL,
	"txid" bigint NOT NULL,
	"position" bigint,
	"committed_at" timestamp with time zone,
	CONSTRAINT "event_commits_pkey" PRIMARY KEY("tenant_id","txid")
);
--> statement-breakpoint
CREATE TABLE "event_heads" (
	"tenant_id" uuid PRIMARY KEY NOT NULL,
	"last_position" bigint DEFAULT 0 NOT NULL,
	"pruned_position" bigint DEFAULT 0 NOT NULL,
	"pruned_seq" bigint DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "events" (
	"tenant_id" uuid NOT NULL,
	"txid" bigint NOT NULL,
	"seq" bigint GENERATED ALWAYS AS IDENTITY (sequence name "events_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"type" text NOT NULL,
	"entity" text NOT NULL,
	"entity_id" uuid NOT NULL,
	"external_id" text,
	"version" integer NOT NULL,
	"occurred_at" timestamp with time zone DEFAULT now() NOT NULL,
	"changed_fields" text[],
	"data" jsonb NOT NULL,
	"children_before" jsonb,
	CONSTRAINT "events_pkey" PRIMARY KEY("tenant_id","txid","entity_id")
);
--> statement-breakpoint
CREATE INDEX "event_commits_position_idx" ON "event_commits" USING btree ("tenant_id","position");