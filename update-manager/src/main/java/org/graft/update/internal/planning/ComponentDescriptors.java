package org.graft.update.internal.planning;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;

import org.graft.transformer.Managed;
import org.osgi.framework.Bundle;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * The DS components a bundle declares, read from its descriptors without starting it, so that an
 * update can be planned (and refused) before the new version runs.
 */
final class ComponentDescriptors {
    /** One declared component: its name, implementation class, service interfaces and Graft identity. */
    record Component(String name, String implementation, List<String> services, String identity) {
    }

    private ComponentDescriptors() {
    }

    /** @throws IllegalArgumentException naming the descriptor that cannot be read */
    static List<Component> of(Bundle bundle) {
        List<Component> components = new ArrayList<>();
        Object header = bundle.getHeaders("").get("Service-Component");
        if (header == null) {
            return components;
        }
        for (String path : header.toString().split(",")) {
            path = path.trim();
            if (path.isEmpty()) {
                continue;
            }
            int slash = path.lastIndexOf('/');
            String directory = slash < 0 ? "/" : path.substring(0, slash);
            String pattern = path.substring(slash + 1);
            Enumeration<URL> entries = bundle.findEntries(directory, pattern, false);
            if (entries == null) {
                throw new IllegalArgumentException(bundle.getSymbolicName() + " " + bundle.getVersion()
                        + " names the component descriptor " + path + ", which it does not contain");
            }
            while (entries.hasMoreElements()) {
                components.addAll(parse(entries.nextElement()));
            }
        }
        return components;
    }

    private static List<Component> parse(URL descriptor) {
        Document document;
        try (InputStream in = descriptor.openStream()) {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            DocumentBuilder builder = factory.newDocumentBuilder();
            document = builder.parse(in);
        } catch (IOException | SAXException | ParserConfigurationException e) {
            throw new IllegalArgumentException("cannot read component descriptor " + descriptor + ": " + e.getMessage(), e);
        }
        List<Component> components = new ArrayList<>();
        NodeList nodes = document.getElementsByTagNameNS("*", "component");
        if (nodes.getLength() == 0) {
            nodes = document.getElementsByTagName("component");
        }
        for (int i = 0; i < nodes.getLength(); i++) {
            components.add(component((Element) nodes.item(i)));
        }
        return components;
    }

    private static Component component(Element element) {
        String implementation = null;
        List<String> services = new ArrayList<>();
        String explicitId = null;
        for (Element child : children(element)) {
            switch (child.getLocalName() == null ? child.getTagName() : child.getLocalName()) {
            case "implementation":
                implementation = child.getAttribute("class");
                break;
            case "service":
                for (Element provide : children(child)) {
                    services.add(provide.getAttribute("interface"));
                }
                break;
            case "property":
                if (Managed.IDENTITY_PROPERTY.equals(child.getAttribute("name"))) {
                    explicitId = child.getAttribute("value");
                }
                break;
            default:
                break;
            }
        }
        String name = element.getAttribute("name");
        if (name.isEmpty()) {
            name = implementation;
        }
        return new Component(name, implementation, services, explicitId != null ? explicitId : name);
    }

    private static List<Element> children(Element parent) {
        List<Element> children = new ArrayList<>();
        NodeList nodes = parent.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            if (nodes.item(i) instanceof Element) {
                children.add((Element) nodes.item(i));
            }
        }
        return children;
    }
}
