package io.stockade.server.neutron;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;

/** The Neutron API extensions the facade implements, for clients that look before they use them. */
final class NeutronExtensions {
    private static final String[][] ALL = {
        {"security-group", "security-group", "The security groups extension."},
        {"stateful-security-group", "Stateful security group", "Security groups may be stateful (the default) or stateless."},
        {"address-group", "Address group", "Address groups (Stockade's ip sets) as remotes of security group rules."},
        {"port-security", "Port Security", "Port security: false turns off all filtering of a port."},
        {"standard-attr-tag", "Tag support for resources with standard attribute", "Tags on security groups, address groups and ports."},
        {"standard-attr-revisions", "Resource revision numbers", "revision_number on every resource."},
        {"revision-if-match", "If-Match constraints based on revision_number", "If-Match: revision_number=N guards a change."},
        {"standard-attr-timestamp", "Resource timestamps", "created_at and updated_at on every resource."},
        {"project-id", "project_id field enabled", "project_id next to tenant_id."},
        {"pagination", "Pagination support", "limit, marker and page_reverse, with <collection>_links."},
        {"sorting", "Sorting support", "sort_key and sort_dir."},
        {"filter-validation", "Filter parameters validation", "Filters on unknown attributes are refused with a 400."},
    };

    private NeutronExtensions() {}

    static ArrayNode all(ObjectMapper mapper) {
        ArrayNode out = mapper.createArrayNode();
        for (String[] e : ALL) {
            out.addObject().put("alias", e[0]).put("name", e[1]).put("description", e[2]).putArray("links");
        }
        return out;
    }
}
