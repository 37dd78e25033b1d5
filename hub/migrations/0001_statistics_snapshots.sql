CREATE TABLE "statistics_snapshots" (
	"cutoff" timestamp with time zone PRIMARY KEY NOT NULL,
	"min_cell" integer NOT NULL,
	"table_json" text NOT NULL,
	"built_at" timestamp with time zone NOT NULL
);
