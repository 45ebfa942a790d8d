package org.graft.update.internal.karaf;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * The {@code <bundleReplacements>} of Karaf's features processing file (by default
 * {@code etc/org.apache.karaf.features.xml}), edited in place: every other element, comment and rule of
 * the file stays as the operator wrote it. A rule maps a bundle URI that features name (its
 * {@code originalUri}) to the URI the features service installs instead; Graft's rules use
 * {@code mode="maven"}, which replaces the location without comparing versions, so that a rollback to a
 * lower version is a replacement too.
 */
final class BundleReplacements {
    static final String NAMESPACE = "http://karaf.apache.org/xmlns/features-processing/v1.0.0";
    private static final String ROOT = "featuresProcessing";
    private static final String REPLACEMENTS = "bundleReplacements";
    private static final String BUNDLE = "bundle";

    private final Path file;
    private final Document document;
    private boolean changed;

    private BundleReplacements(Path file, Document document) {
        this.file = file;
        this.document = document;
    }

    /** The file's rules; a file that does not exist yet has none. */
    static BundleReplacements read(Path file) throws IOException {
        DocumentBuilder builder = builder();
        if (!Files.exists(file)) {
            Document document = builder.newDocument();
            Element root = document.createElementNS(NAMESPACE, ROOT);
            root.setAttributeNS(XMLConstants.XMLNS_ATTRIBUTE_NS_URI, XMLConstants.XMLNS_ATTRIBUTE, NAMESPACE);
            document.appendChild(root);
            return new BundleReplacements(file, document);
        }
        try (InputStream in = Files.newInputStream(file)) {
            Document document = builder.parse(in);
            Element root = document.getDocumentElement();
            if (!ROOT.equals(root.getLocalName()) || !NAMESPACE.equals(root.getNamespaceURI())) {
                throw new IOException(file + " is not a features processing file: its root element is {"
                        + root.getNamespaceURI() + "}" + root.getLocalName() + ", not {" + NAMESPACE + "}" + ROOT);
            }
            return new BundleReplacements(file, document);
        } catch (SAXException e) {
            throw new IOException(file + " is not well-formed XML: " + e.getMessage(), e);
        }
    }

    private static DocumentBuilder builder() throws IOException {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        try {
            // An operator's configuration file: no DTDs, no external entities.
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            return factory.newDocumentBuilder();
        } catch (ParserConfigurationException e) {
            throw new IOException("no XML parser for the features processing file: " + e.getMessage(), e);
        }
    }

    Path file() {
        return file;
    }

    /** The replacement of exactly {@code originalUri}, or null if the file has no rule for it. */
    String replacementOf(String originalUri) {
        Element rule = rule(originalUri);
        return rule == null ? null : rule.getAttribute("replacement");
    }

    /** Every rule's replacement URI. */
    List<String> replacements() {
        List<String> uris = new ArrayList<>();
        for (Element rule : rules()) {
            uris.add(rule.getAttribute("replacement"));
        }
        return uris;
    }

    /** Makes features install {@code replacement} wherever they name {@code originalUri}. */
    void replace(String originalUri, String replacement) {
        Element rule = rule(originalUri);
        if (rule == null) {
            rule = document.createElementNS(NAMESPACE, BUNDLE);
            rule.setAttribute("originalUri", originalUri);
            replacementsElement().appendChild(rule);
        } else if (replacement.equals(rule.getAttribute("replacement")) && "maven".equals(rule.getAttribute("mode"))) {
            return;
        }
        rule.setAttribute("replacement", replacement);
        rule.setAttribute("mode", "maven");
        changed = true;
    }

    /** Features install {@code originalUri} itself again. */
    void remove(String originalUri) {
        Element rule = rule(originalUri);
        if (rule != null) {
            rule.getParentNode().removeChild(rule);
            changed = true;
        }
    }

    boolean changed() {
        return changed;
    }

    /** Writes the file if a rule changed: a copy beside it, then moved over it, so a crash leaves one or the other. */
    void write() throws IOException {
        if (!changed) {
            return;
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path temporary = Files.createTempFile(file.toAbsolutePath().getParent(), file.getFileName().toString(), ".tmp");
        try (OutputStream out = Files.newOutputStream(temporary)) {
            Transformer transformer = TransformerFactory.newInstance().newTransformer();
            transformer.setOutputProperty(OutputKeys.ENCODING, "UTF-8");
            transformer.transform(new DOMSource(document), new StreamResult(out));
        } catch (TransformerException e) {
            Files.deleteIfExists(temporary);
            throw new IOException("cannot write " + file + ": " + e.getMessage(), e);
        }
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        changed = false;
    }

    private Element rule(String originalUri) {
        for (Element rule : rules()) {
            if (originalUri.equals(rule.getAttribute("originalUri"))) {
                return rule;
            }
        }
        return null;
    }

    private List<Element> rules() {
        List<Element> rules = new ArrayList<>();
        for (Element replacements : children(document.getDocumentElement(), REPLACEMENTS)) {
            rules.addAll(children(replacements, BUNDLE));
        }
        return rules;
    }

    private Element replacementsElement() {
        List<Element> existing = children(document.getDocumentElement(), REPLACEMENTS);
        if (!existing.isEmpty()) {
            return existing.get(0);
        }
        Element replacements = document.createElementNS(NAMESPACE, REPLACEMENTS);
        document.getDocumentElement().appendChild(replacements);
        return replacements;
    }

    private static List<Element> children(Element parent, String localName) {
        List<Element> elements = new ArrayList<>();
        NodeList nodes = parent.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            Node node = nodes.item(i);
            if (node instanceof Element element && localName.equals(element.getLocalName())
                    && NAMESPACE.equals(element.getNamespaceURI())) {
                elements.add(element);
            }
        }
        return elements;
    }
}
