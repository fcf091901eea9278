package io.stockade.compiler;

import io.stockade.core.model.Vnic;
import io.stockade.core.model.World;
import io.stockade.core.testing.TestWorld;
import java.util.List;

/**
 * The Wakame-vdc database example on the test host (sg-dbsrv opens 3306 to sg-dbclnts and 22 to
 * all; db1 is the server, app1 in the given groups), and a vnic of another host to add to it.
 */
final class DatabaseExample {
    private DatabaseExample() {}

    static World world(String... appGroups) {
        return TestWorld.wakame()
                .group("sg-dbsrv", TestWorld.tcpFromGroup(3306, 3306, "sg-dbclnts"), TestWorld.tcpIn(22, 22, "0.0.0.0/0"))
                .group("sg-dbclnts").group("sg-web")
                .vnic("vif-db1", "sg-dbsrv").vnic("vif-app1", appGroups).build();
    }

    /** vif-far1 on host h-far, in sg-web, with port security as given. */
    static Vnic farVnic(boolean portSecurity) {
        return new Vnic("vif-far1", TestWorld.PROJECT, "", null, "h-far", "tap99", TestWorld.mac("52:54:00:00:09:99"),
                List.of(TestWorld.ip("192.0.2.99")), TestWorld.NETWORK, List.of("sg-web"), portSecurity);
    }
}
