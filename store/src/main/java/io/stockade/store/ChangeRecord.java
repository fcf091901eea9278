package io.stockade.store;

/** One row of the revision log, as the audit API shows it. */
public record ChangeRecord(long revision, int seq, String at, String actor, String kind, String objectId, String projectId, String action, String detail) {}
