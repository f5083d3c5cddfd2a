CREATE TABLE "tenants" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"slug" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "tenants_slug_key" UNIQUE("slug")
);
--> statement-breakpoint
CREATE TABLE "api_keys" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"prefix" text NOT NULL,
	"secret_hash" text NOT NULL,
	"scopes" text[] NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone,
	"last_used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "api_keys_pkey" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "api_keys_prefix_key" UNIQUE("prefix"),
	CONSTRAINT "api_keys_scopes_check" CHECK ("api_keys"."scopes" <@ array['read', 'write', 'import', 'admin']::text[])
);
--> statement-breakpoint
CREATE TABLE "organizations" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"external_id" text,
	"name" text NOT NULL,
	"website" text,
	"industry" text,
	"size" text,
	"location" text,
	"description" text,
	"tags" text[] DEFAULT '{}'::text[] NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "organizations_pkey" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "organizations_external_id_key" UNIQUE("tenant_id","external_id"),
	CONSTRAINT "organizations_size_check" CHECK ("organizations"."size" in ('1-10', '11-50', '51-200', '201-1000', '1001-5000', '5001+'))
);
--> statement-breakpoint
CREATE TABLE "people" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"external_id" text,
	"full_name" text NOT NULL,
	"preferred_name" text,
	"pronouns" text,
	"emails" text[] DEFAULT '{}'::text[] NOT NULL,
	"phone" text,
	"location" text,
	"headline" text,
	"linkedin_url" text,
	"roles" text[] DEFAULT '{}'::text[] NOT NULL,
	"program" text,
	"graduation_year" integer,
	"organization_id" uuid,
	"title" text,
	"tags" text[] DEFAULT '{}'::text[] NOT NULL,
	"do_not_contact" boolean DEFAULT false NOT NULL,
	"notes" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "people_pkey" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "people_external_id_key" UNIQUE("tenant_id","external_id"),
	CONSTRAINT "people_roles_check" CHECK ("people"."roles" <@ array['student', 'alumnus', 'professional', 'mentor', 'advisor']::text[]),
	CONSTRAINT "people_graduation_year_check" CHECK ("people"."graduation_year" between 1900 and 2100)
);
--> statement-breakpoint
CREATE TABLE "relationships" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"external_id" text,
	"person_id" uuid NOT NULL,
	"contact_id" uuid NOT NULL,
	"kind" text,
	"source" text,
	"introduced_by_id" uuid,
	"strength" smallint,
	"last_contacted_at" timestamp with time zone,
	"notes" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "relationships_pkey" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "relationships_external_id_key" UNIQUE("tenant_id","external_id"),
	CONSTRAINT "relationships_pair_key" UNIQUE("tenant_id","person_id","contact_id"),
	CONSTRAINT "relationships_kind_check" CHECK ("relationships"."kind" in ('classmate', 'alumnus', 'colleague', 'mentor', 'friend', 'family', 'other')),
	CONSTRAINT "relationships_source_check" CHECK ("relationships"."source" in ('career_center', 'referral', 'interview', 'event', 'linkedin', 'cold_outreach', 'alumni_network', 'other')),
	CONSTRAINT "relationships_strength_check" CHECK ("relationships"."strength" between 0 and 5),
	CONSTRAINT "relationships_not_self_check" CHECK ("relationships"."person_id" <> "relationships"."contact_id")
);
--> statement-breakpoint
CREATE TABLE "interviews" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"external_id" text,
	"requester_id" uuid NOT NULL,
	"interviewee_id" uuid NOT NULL,
	"organization_id" uuid,
	"status" text NOT NULL,
	"scheduled_at" timestamp with time zone,
	"occurred_at" timestamp with time zone,
	"duration_minutes" integer,
	"format" text,
	"location" text,
	"goals" text,
	"questions" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"notes" text,
	"insights" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"thank_you_sent_at" timestamp with time zone,
	"follow_ups" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"skill_ratings" jsonb,
	"tags" text[] DEFAULT '{}'::text[] NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "interviews_pkey" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "interviews_external_id_key" UNIQUE("tenant_id","external_id"),
	CONSTRAINT "interviews_status_check" CHECK ("interviews"."status" in ('planned', 'requested', 'scheduled', 'completed', 'cancelled', 'no_show')),
	CONSTRAINT "interviews_format_check" CHECK ("interviews"."format" in ('in_person', 'video', 'phone')),
	CONSTRAINT "interviews_duration_check" CHECK ("interviews"."duration_minutes" > 0),
	CONSTRAINT "interviews_not_self_check" CHECK ("interviews"."requester_id" <> "interviews"."interviewee_id")
);
--> statement-breakpoint
CREATE TABLE "interview_referrals" (
	"tenant_id" uuid NOT NULL,
	"interview_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"person_id" uuid NOT NULL,
	"note" text,
	CONSTRAINT "interview_referrals_pkey" PRIMARY KEY("tenant_id","interview_id","position")
);
--> statement-breakpoint
CREATE TABLE "career_strategies" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"external_id" text,
	"person_id" uuid NOT NULL,
	"title" text,
	"status" text NOT NULL,
	"skills" text[] DEFAULT '{}'::text[] NOT NULL,
	"values" text[] DEFAULT '{}'::text[] NOT NULL,
	"talents" text[] DEFAULT '{}'::text[] NOT NULL,
	"interests" text[] DEFAULT '{}'::text[] NOT NULL,
	"target_roles" text[] DEFAULT '{}'::text[] NOT NULL,
	"target_industries" text[] DEFAULT '{}'::text[] NOT NULL,
	"target_locations" text[] DEFAULT '{}'::text[] NOT NULL,
	"collaborators" text[] DEFAULT '{}'::text[] NOT NULL,
	"work_style" text,
	"goals" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "career_strategies_pkey" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "career_strategies_external_id_key" UNIQUE("tenant_id","external_id"),
	CONSTRAINT "career_strategies_status_check" CHECK ("career_strategies"."status" in ('draft', 'active', 'archived'))
);
--> statement-breakpoint
CREATE TABLE "career_strategy_target_organizations" (
	"tenant_id" uuid NOT NULL,
	"strategy_id" uuid NOT NULL,
	"organization_id" uuid NOT NULL,
	"position" integer NOT NULL,
	CONSTRAINT "cs_target_orgs_pkey" PRIMARY KEY("tenant_id","strategy_id","organization_id")
);
--> statement-breakpoint
CREATE TABLE "career_strategy_interviews" (
	"tenant_id" uuid NOT NULL,
	"strategy_id" uuid NOT NULL,
	"interview_id" uuid NOT NULL,
	"position" integer NOT NULL,
	CONSTRAINT "cs_interviews_pkey" PRIMARY KEY("tenant_id","strategy_id","interview_id")
);
--> statement-breakpoint
CREATE TABLE "career_strategy_revisions" (
	"tenant_id" uuid NOT NULL,
	"strategy_id" uuid NOT NULL,
	"revision" integer NOT NULL,
	"snapshot" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "cs_revisions_pkey" PRIMARY KEY("tenant_id","strategy_id","revision")
);
--> statement-breakpoint
CREATE TABLE "import_jobs" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"entity" text NOT NULL,
	"format" text NOT NULL,
	"mode" text DEFAULT 'upsert' NOT NULL,
	"dry_run" boolean DEFAULT false NOT NULL,
	"on_error" text DEFAULT 'skip' NOT NULL,
	"status" text DEFAULT 'running' NOT NULL,
	"received" integer DEFAULT 0 NOT NULL,
	"created" integer DEFAULT 0 NOT NULL,
	"updated" integer DEFAULT 0 NOT NULL,
	"unchanged" integer DEFAULT 0 NOT NULL,
	"failed" integer DEFAULT 0 NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "import_jobs_pkey" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "import_jobs_entity_check" CHECK ("import_jobs"."entity" in ('people', 'organizations', 'relationships', 'interviews', 'career-strategies')),
	CONSTRAINT "import_jobs_format_check" CHECK ("import_jobs"."format" in ('ndjson', 'csv', 'json')),
	CONSTRAINT "import_jobs_mode_check" CHECK ("import_jobs"."mode" in ('upsert', 'create')),
	CONSTRAINT "import_jobs_on_error_check" CHECK ("import_jobs"."on_error" in ('skip', 'abort')),
	CONSTRAINT "import_jobs_status_check" CHECK ("import_jobs"."status" in ('running', 'succeeded', 'partially_succeeded', 'failed'))
);
--> statement-breakpoint
CREATE TABLE "import_job_errors" (
	"tenant_id" uuid NOT NULL,
	"job_id" uuid NOT NULL,
	"seq" bigint GENERATED ALWAYS AS IDENTITY (sequence name "import_job_errors_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"row" integer NOT NULL,
	"external_id" text,
	"path" text DEFAULT '' NOT NULL,
	"message" text NOT NULL,
	CONSTRAINT "import_job_errors_pkey" PRIMARY KEY("tenant_id","job_id","seq")
);
--> statement-breakpoint
CREATE TABLE "idempotency_keys" (
	"tenant_id" uuid NOT NULL,
	"key" text NOT NULL,
	"method" text NOT NULL,
	"path" text NOT NULL,
	"request_hash" text NOT NULL,
	"status" text DEFAULT 'running' NOT NULL,
	"response_status" integer,
	"response_headers" jsonb,
	"response_body" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	CONSTRAINT "idempotency_keys_pkey" PRIMARY KEY("tenant_id","key"),
	CONSTRAINT "idempotency_keys_status_check" CHECK ("idempotency_keys"."status" in ('running', 'done'))
);
--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_tenant_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "organizations" ADD CONSTRAINT "organizations_tenant_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "people" ADD CONSTRAINT "people_tenant_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "people" ADD CONSTRAINT "people_organization_fk" FOREIGN KEY ("tenant_id","organization_id") REFERENCES "public"."organizations"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "relationships" ADD CONSTRAINT "relationships_tenant_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "relationships" ADD CONSTRAINT "relationships_person_fk" FOREIGN KEY ("tenant_id","person_id") REFERENCES "public"."people"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "relationships" ADD CONSTRAINT "relationships_contact_fk" FOREIGN KEY ("tenant_id","contact_id") REFERENCES "public"."people"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "relationships" ADD CONSTRAINT "relationships_introduced_by_fk" FOREIGN KEY ("tenant_id","introduced_by_id") REFERENCES "public"."people"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "interviews" ADD CONSTRAINT "interviews_tenant_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "interviews" ADD CONSTRAINT "interviews_requester_fk" FOREIGN KEY ("tenant_id","requester_id") REFERENCES "public"."people"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "interviews" ADD CONSTRAINT "interviews_interviewee_fk" FOREIGN KEY ("tenant_id","interviewee_id") REFERENCES "public"."people"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "interviews" ADD CONSTRAINT "interviews_organization_fk" FOREIGN KEY ("tenant_id","organization_id") REFERENCES "public"."organizations"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "interview_referrals" ADD CONSTRAINT "interview_referrals_tenant_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "interview_referrals" ADD CONSTRAINT "interview_referrals_interview_fk" FOREIGN KEY ("tenant_id","interview_id") REFERENCES "public"."interviews"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "interview_referrals" ADD CONSTRAINT "interview_referrals_person_fk" FOREIGN KEY ("tenant_id","person_id") REFERENCES "public"."people"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "career_strategies" ADD CONSTRAINT "career_strategies_tenant_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "career_strategies" ADD CONSTRAINT "career_strategies_person_fk" FOREIGN KEY ("tenant_id","person_id") REFERENCES "public"."people"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "career_strategy_target_organizations" ADD CONSTRAINT "cs_target_orgs_tenant_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "career_strategy_target_organizations" ADD CONSTRAINT "cs_target_orgs_strategy_fk" FOREIGN KEY ("tenant_id","strategy_id") REFERENCES "public"."career_strategies"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "career_strategy_target_organizations" ADD CONSTRAINT "cs_target_orgs_organization_fk" FOREIGN KEY ("tenant_id","organization_id") REFERENCES "public"."organizations"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "career_strategy_interviews" ADD CONSTRAINT "cs_interviews_tenant_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "career_strategy_interviews" ADD CONSTRAINT "cs_interviews_strategy_fk" FOREIGN KEY ("tenant_id","strategy_id") REFERENCES "public"."career_strategies"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "career_strategy_interviews" ADD CONSTRAINT "cs_interviews_interview_fk" FOREIGN KEY ("tenant_id","interview_id") REFERENCES "public"."interviews"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "career_strategy_revisions" ADD CONSTRAINT "cs_revisions_tenant_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "career_strategy_revisions" ADD CONSTRAINT "cs_revisions_strategy_fk" FOREIGN KEY ("tenant_id","strategy_id") REFERENCES "public"."career_strategies"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "import_jobs" ADD CONSTRAINT "import_jobs_tenant_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "import_job_errors" ADD CONSTRAINT "import_job_errors_tenant_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "import_job_errors" ADD CONSTRAINT "import_job_errors_job_fk" FOREIGN KEY ("tenant_id","job_id") REFERENCES "public"."import_jobs"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "idempotency_keys" ADD CONSTRAINT "idempotency_keys_tenant_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "api_keys_created_idx" ON "api_keys" USING btree ("tenant_id","created_at","id");--> statement-breakpoint
CREATE INDEX "organizations_created_idx" ON "organizations" USING btree ("tenant_id","created_at","id");--> statement-breakpoint
CREATE INDEX "organizations_updated_idx" ON "organizations" USING btree ("tenant_id","updated_at","id");--> statement-breakpoint
CREATE INDEX "organizations_tags_idx" ON "organizations" USING gin ("tags");--> statement-breakpoint
CREATE INDEX "organizations_industry_idx" ON "organizations" USING btree ("tenant_id","industry");--> statement-breakpoint
CREATE INDEX "organizations_name_idx" ON "organizations" USING btree ("tenant_id",lower("name") text_pattern_ops);--> statement-breakpoint
CREATE INDEX "people_created_idx" ON "people" USING btree ("tenant_id","created_at","id");--> statement-breakpoint
CREATE INDEX "people_updated_idx" ON "people" USING btree ("tenant_id","updated_at","id");--> statement-breakpoint
CREATE INDEX "people_organization_idx" ON "people" USING btree ("tenant_id","organization_id");--> statement-breakpoint
CREATE INDEX "people_tags_idx" ON "people" USING gin ("tags");--> statement-breakpoint
CREATE INDEX "people_roles_idx" ON "people" USING gin ("roles");--> statement-breakpoint
CREATE INDEX "people_search_idx" ON "people" USING gin (to_tsvector('simple', "full_name" || ' ' || coalesce("preferred_name", '') || ' ' || coalesce("headline", '')));--> statement-breakpoint
CREATE INDEX "relationships_created_idx" ON "relationships" USING btree ("tenant_id","created_at","id");--> statement-breakpoint
CREATE INDEX "relationships_updated_idx" ON "relationships" USING btree ("tenant_id","updated_at","id");--> statement-breakpoint
CREATE INDEX "relationships_contact_idx" ON "relationships" USING btree ("tenant_id","contact_id");--> statement-breakpoint
CREATE INDEX "relationships_source_idx" ON "relationships" USING btree ("tenant_id","source");--> statement-breakpoint
CREATE INDEX "relationships_introduced_by_idx" ON "relationships" USING btree ("tenant_id","introduced_by_id");--> statement-breakpoint
CREATE INDEX "interviews_created_idx" ON "interviews" USING btree ("tenant_id","created_at","id");--> statement-breakpoint
CREATE INDEX "interviews_updated_idx" ON "interviews" USING btree ("tenant_id","updated_at","id");--> statement-breakpoint
CREATE INDEX "interviews_status_idx" ON "interviews" USING btree ("tenant_id","status");--> statement-breakpoint
CREATE INDEX "interviews_requester_idx" ON "interviews" USING btree ("tenant_id","requester_id");--> statement-breakpoint
CREATE INDEX "interviews_interviewee_idx" ON "interviews" USING btree ("tenant_id","interviewee_id");--> statement-breakpoint
CREATE INDEX "interviews_organization_idx" ON "interviews" USING btree ("tenant_id","organization_id");--> statement-breakpoint
CREATE INDEX "interviews_when_idx" ON "interviews" USING btree ("tenant_id",coalesce("occurred_at", "scheduled_at"));--> statement-breakpoint
CREATE INDEX "interview_referrals_person_idx" ON "interview_referrals" USING btree ("tenant_id","person_id");--> statement-breakpoint
CREATE INDEX "career_strategies_created_idx" ON "career_strategies" USING btree ("tenant_id","created_at","id");--> statement-breakpoint
CREATE INDEX "career_strategies_updated_idx" ON "career_strategies" USING btree ("tenant_id","updated_at","id");--> statement-breakpoint
CREATE UNIQUE INDEX "career_strategies_one_active_idx" ON "career_strategies" USING btree ("tenant_id","person_id") WHERE status = 'active';--> statement-breakpoint
CREATE INDEX "career_strategies_person_idx" ON "career_strategies" USING btree ("tenant_id","person_id");--> statement-breakpoint
CREATE INDEX "career_strategies_status_idx" ON "career_strategies" USING btree ("tenant_id","status");--> statement-breakpoint
CREATE INDEX "cs_target_orgs_organization_idx" ON "career_strategy_target_organizations" USING btree ("tenant_id","organization_id");--> statement-breakpoint
CREATE INDEX "cs_interviews_interview_idx" ON "career_strategy_interviews" USING btree ("tenant_id","interview_id");--> statement-breakpoint
CREATE INDEX "import_jobs_status_idx" ON "import_jobs" USING btree ("tenant_id","status");--> statement-breakpoint
CREATE INDEX "import_jobs_created_idx" ON "import_jobs" USING btree ("tenant_id","created_at","id");--> statement-breakpoint
CREATE INDEX "idempotency_keys_expires_idx" ON "idempotency_keys" USING btree ("expires_at");