DROP INDEX "people_organization_idx";--> statement-breakpoint
DROP INDEX "relationships_contact_idx";--> statement-breakpoint
DROP INDEX "interviews_requester_idx";--> statement-breakpoint
DROP INDEX "interviews_interviewee_idx";--> statement-breakpoint
DROP INDEX "interviews_organization_idx";--> statement-breakpoint
DROP INDEX "career_strategies_person_idx";--> statement-breakpoint
CREATE INDEX "relationships_person_idx" ON "relationships" USING btree ("tenant_id","person_id","created_at","id");--> statement-breakpoint
CREATE INDEX "people_organization_idx" ON "people" USING btree ("tenant_id","organization_id","created_at","id");--> statement-breakpoint
CREATE INDEX "relationships_contact_idx" ON "relationships" USING btree ("tenant_id","contact_id","created_at","id");--> statement-breakpoint
CREATE INDEX "interviews_requester_idx" ON "interviews" USING btree ("tenant_id","requester_id","created_at","id");--> statement-breakpoint
CREATE INDEX "interviews_interviewee_idx" ON "interviews" USING btree ("tenant_id","interviewee_id","created_at","id");--> statement-breakpoint
CREATE INDEX "interviews_organization_idx" ON "interviews" USING btree ("tenant_id","organization_id","created_at","id");--> statement-breakpoint
CREATE INDEX "career_strategies_person_idx" ON "career_strategies" USING btree ("tenant_id","person_id","created_at","id");