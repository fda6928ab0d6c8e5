CREATE TABLE "organization_role_assignments" (
	"user_id" uuid NOT NULL,
	"org_id" uuid NOT NULL,
	"role" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "organization_role_assignments_user_id_org_id_role_pk" PRIMARY KEY("user_id","org_id","role")
);
--> statement-breakpoint
ALTER TABLE "organization_role_assignments" ADD CONSTRAINT "organization_role_assignments_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "organization_role_assignments" ADD CONSTRAINT "organization_role_assignments_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "organization_role_assignments_org_idx" ON "organization_role_assignments" USING btree ("org_id");--> statement-breakpoint
-- custom SQL below
-- Organisation policy moves from the programme administrator to the organisation
-- administrator (ADR 020). Every account that is administrator in every programme of its
-- organisation becomes organisation administrator too; an administrator of only some
-- programmes does not (an operator can make one with `waypoint admin create`).
INSERT INTO "organization_role_assignments" ("user_id", "org_id", "role", "created_at")
SELECT u."id", u."org_id", 'organization-administrator', now()
FROM "users" u
WHERE u."kind" = 'person'
  AND EXISTS (SELECT 1 FROM "programs" p WHERE p."org_id" = u."org_id")
  AND NOT EXISTS (
    SELECT 1 FROM "programs" p
    WHERE p."org_id" = u."org_id"
      AND NOT EXISTS (
        SELECT 1 FROM "role_assignments" ra
        WHERE ra."user_id" = u."id" AND ra."program_id" = p."id" AND ra."role" = 'administrator'
      )
  )
ON CONFLICT DO NOTHING;
