package org.pagerless.delivery;

import java.io.StringWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerConfigurationException;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;

import org.w3c.dom.Document;
import org.w3c.dom.Node;

import com.twilio.twiml.TwiML;

/**
 * TwiML as the text Twilio fetches: the SDK's own document ({@code buildXmlElement}, standalone, not indented, as
 * {@code TwiML.toXml()} builds it), written by the JDK's built-in XML factories, one builder and one writer per thread.
 * Not {@code toXml()} itself: it looks both factories up on every call ({@code DocumentBuilderFactory.newInstance()},
 * {@code TransformerFactory.newInstance()}), and a lookup is a ServiceLoader scan that opens and verifies every jar on
 * the class path, then Saxon's transformer (a dependency registers it). DeliveryBenchmark with calls answered measured
 * that scan at about a quarter of the application's CPU (docs/benchmarks.md, branch {@code statpush}).
 */
final class TwimlText {
    private static final Method BUILD;

    static {
        try {
            BUILD = TwiML.class.getDeclaredMethod("buildXmlElement", Document.class);
            BUILD.setAccessible(true);
        } catch (NoSuchMethodException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static final ThreadLocal<DocumentBuilder> BUILDERS = ThreadLocal.withInitial(() -> {
        try {
            return DocumentBuilderFactory.newDefaultInstance().newDocumentBuilder();
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException(e);
        }
    });

    private static final ThreadLocal<Transformer> WRITERS = ThreadLocal.withInitial(() -> {
        TransformerFactory factory = TransformerFactory.newDefaultInstance();
        factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_STYLESHEET, "");
        try {
            Transformer writer = factory.newTransformer();
            writer.setOutputProperty(OutputKeys.INDENT, "no");
            return writer;
        } catch (TransformerConfigurationException e) {
            throw new IllegalStateException(e);
        }
    });

    private TwimlText() {
    }

    static String of(TwiML twiml) {
        Document doc = BUILDERS.get().newDocument();
        doc.setXmlStandalone(true);
        try {
            doc.appendChild((Node) BUILD.invoke(twiml, doc));
            StringWriter out = new StringWriter();
            WRITERS.get().transform(new DOMSource(doc), new StreamResult(out));
            return out.toString().trim();
        } catch (IllegalAccessException | InvocationTargetException | TransformerException e) {
            throw new IllegalStateException("TwiML not written: " + e, e);
        }
    }
}
