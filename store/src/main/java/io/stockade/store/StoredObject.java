package io.stockade.store;

/** One object row: its kind, ids, name, JSON document and timestamps (ISO-8601 UTC). */
public record StoredObject(String id, String kind, String projectId, String name, String body, long revision, String createdAt, String updatedAt) {}
