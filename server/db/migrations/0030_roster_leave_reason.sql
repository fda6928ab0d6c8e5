ALTER TABLE "group_series_members" ADD COLUMN "left_reason" text;--> statement-breakpoint
ALTER TABLE "group_series_members" ADD COLUMN "left_by" uuid;--> statement-breakpoint
ALTER TABLE "group_series_members" ADD CONSTRAINT "group_series_members_left_by_users_id_fk" FOREIGN KEY ("left_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;