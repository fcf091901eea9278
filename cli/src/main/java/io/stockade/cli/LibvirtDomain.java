package io.stockade.cli;

import io.stockade.core.net.MacAddress;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * What the libvirt hook needs of a domain's XML: its name and its network interfaces, each with
 * its MAC, the tap device libvirt gave it ({@code <target dev>}, absent before libvirt created the
 * tap) and the vnic named for that MAC in Stockade's {@code <metadata>}, if any, with the security
 * groups it should be in, if given:
 *
 * <pre>{@code
 * <metadata>
 *   <stockade:vnics xmlns:stockade="https://stockade.io/xmlns/libvirt/1">
 *     <stockade:vnic mac="52:54:00:00:01:10" id="vif-db1" groups="sg-dbsrv,sg-ssh"/>
 *   </stockade:vnics>
 * </metadata>
 * }</pre>
 */
record LibvirtDomain(String name, List<Nic> nics) {
    static final String NAMESPACE = "https://stockade.io/xmlns/libvirt/1";

    /**
     * One {@code <interface>}: vnic is the id from the metadata, else null (found by MAC); groups
     * the metadata's groups of that vnic, null when it names none.
     */
    record Nic(MacAddress mac, String target, String vnic, List<String> groups) {}

    /** A {@code <stockade:vnic>} of the metadata. */
    private record Named(String id, List<String> groups) {}

    LibvirtDomain {
        nics = List.copyOf(nics);
    }

    static LibvirtDomain parse(InputStream xml) throws IOException {
        Document doc;
        try {
            doc = builder().parse(xml);
        } catch (SAXException e) {
            throw new IllegalArgumentException("the domain XML on stdin is not well-formed: " + e.getMessage(), e);
        }
        Element root = doc.getDocumentElement();
        if (!"domain".equals(root.getLocalName())) {
            throw new IllegalArgumentException("the XML on stdin is no libvirt domain (root element <" + root.getLocalName() + ">)");
        }
        Map<MacAddress, Named> named = new HashMap<>();
        NodeList meta = root.getElementsByTagNameNS(NAMESPACE, "vnic");
        for (int i = 0; i < meta.getLength(); i++) {
            Element e = (Element) meta.item(i);
            String id = e.getAttribute("id");
            if (id.isBlank()) {
                throw new IllegalArgumentException("<stockade:vnic> #" + (i + 1) + " in the domain's metadata has no id attribute");
            }
            List<String> groups = e.hasAttribute("groups")
                    ? Arrays.stream(e.getAttribute("groups").split(",")).map(String::strip).filter(g -> !g.isEmpty()).toList() : null;
            named.put(mac(e.getAttribute("mac"), "<stockade:vnic id=\"" + id + "\"> mac"), new Named(id, groups));
        }
        List<Nic> nics = new ArrayList<>();
        Element devices = child(root, "devices");
        if (devices != null) {
            NodeList ifaces = devices.getChildNodes();
            for (int i = 0; i < ifaces.getLength(); i++) {
                if (ifaces.item(i) instanceof Element e && "interface".equals(e.getLocalName())) {
                    Element m = child(e, "mac");
                    if (m == null) {
                        throw new IllegalArgumentException("an <interface> of the domain has no <mac>");
                    }
                    MacAddress mac = mac(m.getAttribute("address"), "<interface> <mac address>");
                    Element t = child(e, "target");
                    String dev = t == null || t.getAttribute("dev").isBlank() ? null : t.getAttribute("dev");
                    Named n = named.get(mac);
                    nics.add(new Nic(mac, dev, n == null ? null : n.id(), n == null ? null : n.groups()));
                }
            }
        }
        Element name = child(root, "name");
        return new LibvirtDomain(name == null ? "" : name.getTextContent().strip(), nics);
    }

    private static MacAddress mac(String text, String field) {
        try {
            return MacAddress.parse(text, field);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(field + ": '" + text + "' is not a MAC address", e);
        }
    }

    private static Element child(Element parent, String localName) {
        NodeList kids = parent.getChildNodes();
        for (int i = 0; i < kids.getLength(); i++) {
            if (kids.item(i) instanceof Element e && localName.equals(e.getLocalName())) {
                return e;
            }
        }
        return null;
    }

    private static DocumentBuilder builder() {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setExpandEntityReferences(false);
            DocumentBuilder b = f.newDocumentBuilder();
            b.setErrorHandler(new DefaultHandler());
            return b;
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException(e);
        }
    }
}
