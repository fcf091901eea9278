package io.stockade.store;

/**
 * One object written or deleted by a mutation. {@code body} is its document in the form the store
 * keeps ({@link Bodies#pack}: a large one is packed when the change is made, before the commit),
 * null for a delete; {@code detail} is a short JSON description for the audit log.
 */
public record Change(String kind, String id, String projectId, String name, String body, String action, String detail) {
    public static Change upsert(String kind, String id, String projectId, String name, String body, String action, String detail) {
        return new Change(kind, id, projectId, name, Bodies.pack(body), action, detail);
    }

    public static Change delete(String kind, String id, String projectId, String name, String detail) {
        return new Change(kind, id, projectId, name, null, "delete", detail);
    }
}
