-- Opportunities and the question bank (the hidden-job-market issue), tenant-isolated as every
-- entity table (0001, 0003); imports may target both.
CREATE TABLE "opportunities" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"external_id" text,
	"seeker_id" uuid NOT NULL,
	"organization_id" uuid,
	"title" text NOT NULL,
	"kind" text,
	"advertised" boolean NOT NULL,
	"source" text,
	"referred_by_id" uuid,
	"source_interview_id" uuid,
	"status" text NOT NULL,
	"applied_at" timestamp with time zone,
	"offered_at" timestamp with time zone,
	"decided_at" timestamp with time zone,
	"location" text,
	"url" text,
	"tags" text[] DEFAULT '{}'::text[] NOT NULL,
	"notes" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "opportunities_pkey" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "opportunities_external_id_key" UNIQUE("tenant_id","external_id"),
	CONSTRAINT "opportunities_kind_check" CHECK ("opportunities"."kind" in ('job', 'internship', 'fellowship', 'project', 'volunteer', 'other')),
	CONSTRAINT "opportunities_source_check" CHECK ("opportunities"."source" in ('referral', 'informational_interview', 'network', 'career_center', 'event', 'posting', 'other')),
	CONSTRAINT "opportunities_status_check" CHECK ("opportunities"."status" in ('identified', 'applied', 'interviewing', 'offered', 'accepted', 'declined', 'rejected', 'withdrawn', 'closed')),
	CONSTRAINT "opportunities_not_self_referred_check" CHECK ("opportunities"."referred_by_id" <> "opportunities"."seeker_id")
);
--> statement-breakpoint
CREATE TABLE "question_templates" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"external_id" text,
	"text" text NOT NULL,
	"category" text,
	"tags" text[] DEFAULT '{}'::text[] NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "question_templates_pkey" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "question_templates_external_id_key" UNIQUE("tenant_id","external_id"),
	CONSTRAINT "question_templates_category_check" CHECK ("question_templates"."category" in ('role_and_day', 'career_path', 'industry', 'skills', 'organization_and_culture', 'advice', 'next_steps_and_referrals'))
);
--> statement-breakpoint
ALTER TABLE "import_jobs" DROP CONSTRAINT "import_jobs_entity_check";--> statement-breakpoint
ALTER TABLE "opportunities" ADD CONSTRAINT "opportunities_tenant_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "opportunities" ADD CONSTRAINT "opportunities_seeker_fk" FOREIGN KEY ("tenant_id","seeker_id") REFERENCES "public"."people"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "opportunities" ADD CONSTRAINT "opportunities_organization_fk" FOREIGN KEY ("tenant_id","organization_id") REFERENCES "public"."organizations"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "opportunities" ADD CONSTRAINT "opportunities_referred_by_fk" FOREIGN KEY ("tenant_id","referred_by_id") REFERENCES "public"."people"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "opportunities" ADD CONSTRAINT "opportunities_source_interview_fk" FOREIGN KEY ("tenant_id","source_interview_id") REFERENCES "public"."interviews"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "question_templates" ADD CONSTRAINT "question_templates_tenant_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "opportunities_created_idx" ON "opportunities" USING btree ("tenant_id","created_at","id");--> statement-breakpoint
CREATE INDEX "opportunities_updated_idx" ON "opportunities" USING btree ("tenant_id","updated_at","id");--> statement-breakpoint
CREATE INDEX "opportunities_seeker_idx" ON "opportunities" USING btree ("tenant_id","seeker_id","created_at","id");--> statement-breakpoint
CREATE INDEX "opportunities_organization_idx" ON "opportunities" USING btree ("tenant_id","organization_id","created_at","id");--> statement-breakpoint
CREATE INDEX "opportunities_referred_by_idx" ON "opportunities" USING btree ("tenant_id","referred_by_id","created_at","id");--> statement-breakpoint
CREATE INDEX "opportunities_source_interview_idx" ON "opportunities" USING btree ("tenant_id","source_interview_id","created_at","id");--> statement-breakpoint
CREATE INDEX "opportunities_status_idx" ON "opportunities" USING btree ("tenant_id","status");--> statement-breakpoint
CREATE INDEX "question_templates_created_idx" ON "question_templates" USING btree ("tenant_id","created_at","id");--> statement-breakpoint
CREATE INDEX "question_templates_updated_idx" ON "question_templates" USING btree ("tenant_id","updated_at","id");--> statement-breakpoint
CREATE INDEX "question_templates_category_idx" ON "question_templates" USING btree ("tenant_id","category","active");--> statement-breakpoint
ALTER TABLE "import_jobs" ADD CONSTRAINT "import_jobs_entity_check" CHECK ("import_jobs"."entity" in ('people', 'organizations', 'relationships', 'interviews', 'career-strategies', 'opportunities', 'question-templates'));--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON opportunities TO icrm_app;
--> statement-breakpoint
ALTER TABLE opportunities ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE opportunities FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON opportunities
  USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
  WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON question_templates TO icrm_app;
--> statement-breakpoint
ALTER TABLE question_templates ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE question_templates FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON question_templates
  USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
  WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);
