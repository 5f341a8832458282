package org.pagerless.interop.wctp;

import java.io.StringReader;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import javax.xml.stream.XMLStreamWriter;

/**
 * WCTP documents in and out. Reading is safe with untrusted input: a {@code <!DOCTYPE … SYSTEM "http://dtd.wctp.org/…">}
 * is accepted but never fetched, no entity is ever declared or expanded (an entity reference is a parse error, so
 * neither XXE nor "billion laughs" can work), and callers bound the size before parsing.
 */
final class WctpXml {
    static final String VERSION = "wctp-dtd-v1r3";
    private static final XMLInputFactory INPUT = XMLInputFactory.newFactory();
    private static final XMLOutputFactory OUTPUT = XMLOutputFactory.newFactory();

    static {
        INPUT.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        INPUT.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        INPUT.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
        INPUT.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, false);
        INPUT.setXMLResolver((publicId, systemId, base, namespace) -> {
            throw new XMLStreamException("external resources are never fetched");
        });
    }

    private WctpXml() {
    }

    /** The document could not be read as XML. */
    static final class Malformed extends Exception {
        Malformed(String message) {
            super(message);
        }
    }

    /** One element: its name, attributes, text and child elements. */
    record Node(String name, Map<String, String> attributes, String text, List<Node> children) {
        Optional<Node> child(String childName) {
            return children.stream().filter(c -> c.name.equals(childName)).findFirst();
        }

        List<Node> all(String childName) {
            return children.stream().filter(c -> c.name.equals(childName)).toList();
        }

        String attribute(String attributeName) {
            return attributes.get(attributeName);
        }

        /** The first element of this name anywhere below, depth first. */
        Optional<Node> find(String wanted) {
            for (Node c : children) {
                if (c.name.equals(wanted)) {
                    return Optional.of(c);
                }
                Optional<Node> below = c.find(wanted);
                if (below.isPresent()) {
                    return below;
                }
            }
            return Optional.empty();
        }
    }

    static Node parse(String document) throws Malformed {
        try {
            XMLStreamReader reader = INPUT.createXMLStreamReader(new StringReader(document));
            List<Node> stack = new ArrayList<>();
            List<StringBuilder> texts = new ArrayList<>();
            Node root = null;
            while (reader.hasNext()) {
                switch (reader.next()) {
                    case XMLStreamConstants.START_ELEMENT -> {
                        Map<String, String> attributes = new LinkedHashMap<>();
                        for (int i = 0; i < reader.getAttributeCount(); i++) {
                            attributes.put(reader.getAttributeLocalName(i), reader.getAttributeValue(i));
                        }
                        stack.add(new Node(reader.getLocalName(), attributes, null, new ArrayList<>()));
                        texts.add(new StringBuilder());
                    }
                    case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE -> {
                        if (!texts.isEmpty()) {
                            texts.get(texts.size() - 1).append(reader.getText());
                        }
                    }
                    case XMLStreamConstants.ENTITY_REFERENCE ->
                        throw new Malformed("entity references are not allowed");
                    case XMLStreamConstants.END_ELEMENT -> {
                        Node open = stack.remove(stack.size() - 1);
                        Node done = new Node(open.name(), open.attributes(), texts.remove(texts.size() - 1).toString()
                                .trim(), List.copyOf(open.children()));
                        if (stack.isEmpty()) {
                            root = done;
                        } else {
                            stack.get(stack.size() - 1).children().add(done);
                        }
                    }
                    default -> {
                    }
                }
            }
            if (root == null) {
                throw new Malformed("no document element");
            }
            return root;
        } catch (XMLStreamException e) {
            // Only where it broke: the message may quote the document, which may hold patient data.
            throw new Malformed("not well-formed XML" + (e.getLocation() == null ? ""
                    : " at line " + e.getLocation().getLineNumber() + ", column " + e.getLocation().getColumnNumber()));
        }
    }

    /** Writes a {@code wctp-Operation} document; {@code body} writes what goes inside it. */
    static String operation(Body body) {
        try {
            StringWriter out = new StringWriter();
            XMLStreamWriter xml = OUTPUT.createXMLStreamWriter(out);
            xml.writeStartDocument("UTF-8", "1.0");
            xml.writeDTD("<!DOCTYPE wctp-Operation SYSTEM \"http://dtd.wctp.org/" + VERSION + ".dtd\">");
            xml.writeStartElement("wctp-Operation");
            xml.writeAttribute("wctpVersion", VERSION);
            body.write(xml);
            xml.writeEndElement();
            xml.writeEndDocument();
            xml.close();
            return out.toString();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("cannot write WCTP", e);
        }
    }

    interface Body {
        void write(XMLStreamWriter xml) throws XMLStreamException;
    }

    /** {@code <wctp-Confirmation>} with a success or a failure. */
    static String confirmation(int code, String text, boolean success) {
        return operation(xml -> {
            xml.writeStartElement("wctp-Confirmation");
            outcome(xml, code, text, success);
            xml.writeEndElement();
        });
    }

    static void outcome(XMLStreamWriter xml, int code, String text, boolean success) throws XMLStreamException {
        xml.writeEmptyElement(success ? "wctp-Success" : "wctp-Failure");
        xml.writeAttribute(success ? "successCode" : "errorCode", Integer.toString(code));
        xml.writeAttribute(success ? "successText" : "errorText", text);
    }
}
