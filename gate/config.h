// SPDX-License-Identifier: MIT
/* perfgate.json -> struct pg_config (jansson). Strict: an unknown key, a
 * wrong type or a bad scenario name is PG_EINPUT naming the JSON path
 * (e.g. "scenarios[0].workload.cmd[1]"). The config owns every string and
 * array in it; pg_config_release frees them. Relative paths in cmd[0]
 * are resolved against the config file's directory at load time. */
#ifndef PG_CONFIG_H
#define PG_CONFIG_H

#include <stddef.h>

#include "err.h"

/* The gate's threshold in percent: the default, and the range both the
 * config and --threshold take (above 0, at most PG_THRESHOLD_MAX). */
#define PG_THRESHOLD_DEFAULT 15.0
#define PG_THRESHOLD_MAX 1e9
/* The U test's significance level when the config sets no "alpha". */
#define PG_ALPHA_DEFAULT 0.05

struct pg_kv {
	char *key;
	char *value;
};

/* A per-metric entry of "gate"; has_* say which keys were given. */
struct pg_gate_rule {
	char *metric;
	double threshold_pct;
	double min_abs;
	int gated; /* 1 unless "gated": false */
	int has_threshold;
	int has_min_abs;
};

/* workload.attach: a workload perfgate did not start (see attach.h). */
enum pg_attach_kind {
	PG_ATTACH_NONE, /* workload.cmd: perfgate starts it */
	PG_ATTACH_PID,
	PG_ATTACH_PID_FILE,
	PG_ATTACH_CGROUP,
	PG_ATTACH_CONTAINER,
	PG_ATTACH_POD,
	PG_ATTACH_POD_UID,
};

struct pg_attach_cfg {
	enum pg_attach_kind kind;
	long pid;	 /* PID */
	char *path;	 /* PID_FILE, CGROUP */
	char *engine;	 /* CONTAINER: "podman", "docker", "containerd", "cri-o" */
	char *id;	 /* CONTAINER: name (podman) or ID or ID prefix; POD_UID: uid */
	char *pod_ns;	 /* POD */
	char *pod_name;	 /* POD */
	char *container; /* POD: container name, NULL: the whole pod */
};

struct pg_workload_cfg {
	char **cmd; /* NULL-terminated argv; NULL with attach */
	size_t ncmd;
	char *ready_url;
	double ready_timeout_s; /* default 30 */
	struct pg_kv *env;
	size_t nenv;
	int isolate_network;
	double drop_pct;  /* 0..100, only with isolate_network */
	int allow_remote; /* ready_url/pprof_url may leave loopback */
	struct pg_attach_cfg attach;
};

struct pg_load_cfg {
	char **cmd; /* NULL-terminated argv */
	size_t ncmd;
	double duration_s; /* default 10 */
	double warmup_s;   /* load before measuring, default 2 */
	struct pg_kv *env;
	size_t nenv;
	char *dir; /* its config file's directory: where it runs */
};

/* "build": what builds the scenario's workload, run in the tree being
 * measured (its config file's directory). cmd NULL: nothing to build. */
struct pg_build_cfg {
	char **cmd; /* NULL-terminated argv */
	size_t ncmd;
	struct pg_kv *env;
	size_t nenv;
	double timeout_s; /* default 600 */
};

/* How check finds what it compares with: the stored baseline, or the
 * reference commit re-measured here, interleaved with the current tree.
 * AUTO is PAIRED when the scenario has a build, STORED otherwise. */
enum pg_mode {
	PG_MODE_AUTO = 0,
	PG_MODE_STORED,
	PG_MODE_PAIRED,
};

struct pg_paired_cfg {
	int min_rounds;	 /* default 3 */
	int max_rounds;	 /* default 10 */
	double budget_s; /* stop adding rounds past this; default 900 */
	int duet;	 /* both sides at once on separate CPUs; default 1 */
};

struct pg_scenario {
	char *name; /* [A-Za-z0-9._-]+ */
	struct pg_workload_cfg workload;
	struct pg_build_cfg build;
	enum pg_mode mode;	     /* the config's top-level "mode" unless set */
	struct pg_paired_cfg paired; /* the top-level "paired" unless set */
	char *pprof_url;	     /* NULL: no CPU profile */
	struct pg_load_cfg load;
	struct pg_gate_rule *gate;
	size_t ngate;
};

struct pg_config {
	char *path;	      /* as given */
	char *dir;	      /* absolute directory of the file */
	double threshold_pct; /* default 15 */
	double alpha;	      /* the U test's significance level; default 0.05 */
	int runs;	      /* default 3 */
	char *baselines_dir;  /* default "baselines", relative to dir */
	char *base_branch;    /* default "main" */
	enum pg_mode mode;
	struct pg_paired_cfg paired;
	struct pg_scenario *scenarios;
	size_t nscenarios;
};

void pg_config_init(struct pg_config *c);
void pg_config_release(struct pg_config *c);

/* Parse text (len bytes) as a config whose relative paths resolve against
 * dir. Untrusted input: this is the fuzz target. */
int pg_config_parse(struct pg_config *c, const char *text, size_t len, const char *dir,
		    struct pg_err *err);
int pg_config_load(struct pg_config *c, const char *path, struct pg_err *err);

/* "<engine>:<id>" of a container, as in the config and `probe --container`,
 * into a (engine, id); PG_EINPUT with the accepted engines otherwise. The
 * message starts with what (e.g. "--container"). */
int pg_attach_parse_container(struct pg_attach_cfg *a, const char *spec, const char *what,
			      struct pg_err *err);

/* "NAMESPACE/NAME[/CONTAINER]" of a pod (`probe --pod`). */
int pg_attach_parse_pod(struct pg_attach_cfg *a, const char *spec, const char *what,
			struct pg_err *err);

/* A pod's UID (`probe --pod UID`). */
int pg_attach_parse_pod_uid(struct pg_attach_cfg *a, const char *spec, const char *what,
			    struct pg_err *err);

void pg_attach_cfg_release(struct pg_attach_cfg *a);

/* The config file's default path: perfgate.json at the root of the git work
 * tree around the current directory, else in the current directory. */
int pg_config_default_path(char *out, size_t n, struct pg_err *err);

/* Load path (NULL: the default path) and pick the scenario called scenario
 * (NULL: the only one). *out is borrowed from c. */
int pg_config_open(struct pg_config *c, const char *path, const char *scenario,
		   const struct pg_scenario **out, struct pg_err *err);

/* The scenario called name; with name NULL, the only scenario (PG_EUSAGE
 * if there are several). Borrowed. */
int pg_config_scenario(const struct pg_config *c, const char *name, const struct pg_scenario **out,
		       struct pg_err *err);

/* The mode a scenario runs in once AUTO is settled. */
enum pg_mode pg_scenario_mode(const struct pg_scenario *s);
/* "auto", "stored", "paired"; pg_mode_parse returns -1 for anything else. */
const char *pg_mode_name(enum pg_mode m);
int pg_mode_parse(const char *s);

/* The rule for metric among n rules (a scenario's gate, or compare's
 * options), or NULL. Borrowed. */
const struct pg_gate_rule *pg_gate_rule_find(const struct pg_gate_rule *rules, size_t n,
					     const char *metric);

/* A load script's metrics file: a flat JSON object of finite numbers.
 * Untrusted input (fuzz target). On success *out is a NULL-terminated array
 * of n entries the caller frees with pg_loadmetrics_free. */
struct pg_loadmetric {
	char *key;
	double value;
};
int pg_loadmetrics_parse(struct pg_loadmetric **out, size_t *n, const char *text, size_t len,
			 struct pg_err *err);
void pg_loadmetrics_free(struct pg_loadmetric *m, size_t n);

/* Read and parse the metrics file at path (at most 1 MiB). Every failure
 * (missing, unreadable, malformed) is PG_EINPUT with a message naming path;
 * the runner reports it as an infrastructure error of the load script. */
int pg_loadmetrics_load(struct pg_loadmetric **out, size_t *n, const char *path,
			struct pg_err *err);

#endif
