package io.stockade.store;

/** A bearer token: role admin, member (of a project) or host (of a host name). */
public record TokenRecord(String id, String hash, String role, String projectId, String hostName, String description, String createdAt) {}
