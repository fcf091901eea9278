package io.stockade.core.model;

/** How many groups, ip sets and vnics a project holds: what its quotas limit, kept by the world as it changes. */
public record ProjectCounts(int groups, int ipSets, int vnics) {
    public static final ProjectCounts NONE = new ProjectCounts(0, 0, 0);

    static final int GROUPS = 0;
    static final int IP_SETS = 1;
    static final int VNICS = 2;

    static ProjectCounts of(int[] n) {
        return new ProjectCounts(n[GROUPS], n[IP_SETS], n[VNICS]);
    }

    ProjectCounts plus(int[] d) {
        return new ProjectCounts(groups + d[GROUPS], ipSets + d[IP_SETS], vnics + d[VNICS]);
    }
}
