package io.stockade.store;

/** What a host's agent last reported. */
public record HostStatus(String hostId, long appliedRevision, String lastHeartbeat, String lastError) {}
