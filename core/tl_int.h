/*
 * tl_int.h — what the timeline (tl.c) needs from the replayer (rp.c) beyond
 * core.h: one resume at a time with the kind of stop it ended in, the live
 * tracee, and checkpoints that carry the replay session's state (internal to
 * core/).
 */
#ifndef RRTUI_CORE_TL_INT_H
#define RRTUI_CORE_TL_INT_H

#include "core/core.h"
#include "core/tracee.h"

enum rp_stop_kind {
	RPS_EVENT = 1,  /* an event was applied: the process is at its boundary */
	RPS_STEP,       /* one instruction executed, no event */
	RPS_BP,         /* one of bps' int3 (rip put back on it) */
	RPS_HW,         /* a debug register fired (fired = slots) */
	RPS_END,        /* the program ended as recorded */
	RPS_INCOMPLETE  /* an incomplete trace ran out */
};

struct rp_stop {
	enum rp_stop_kind kind;
	uint64_t addr;
	int fired;
	int stepped;    /* RPS_HW during a single step: one instruction ran */
};

/* Resumes once (a single step with TC_STEP_SYSEMU semantics, or a continue
 * under SYSEMU) and handles every stop that belongs to the replay (events,
 * signals from outside) until one that belongs to the caller. */
int rp_resume(struct rp_session *s, int step, struct bp_set *bps, int hw_used,
              struct rp_stop *st, char *err, size_t errlen);
struct tracee *rp_tracee(struct rp_session *s);
/* The signal the next resume delivers (a checkpoint's or a synchronous
 * event's), handed to a caller that resumes the tracee itself; cleared. */
int rp_take_signal(struct rp_session *s);
int rp_ended(const struct rp_session *s);
/* Address of the instruction that caused event no (0 = not replayed yet or
 * an asynchronous signal). */
uint64_t rp_cause(const struct rp_session *s, uint64_t no);
/* Hands a perf counter fd to the replayer, which freezes it, reads it and
 * closes it at the next event's stop (before applying the event). */
void rp_set_counter(struct rp_session *s, int fd);
uint64_t rp_counter_at_event(const struct rp_session *s);

/* A checkpoint of the replay: the cloned process plus the session state
 * (event cursor; the pending signal travels in the ck). */
struct rp_ck {
	struct ck ck;
	uint64_t cur;
};
int rp_ck_create(struct rp_session *s, struct rp_ck *ck, char *err, size_t errlen);
/* Replaces the live process by a fresh clone of ck. */
int rp_ck_restore(struct rp_session *s, struct rp_ck *ck, char *err, size_t errlen);

#endif
