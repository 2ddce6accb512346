package dev.autocert4j.dns.route53;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

/**
 * The Route 53 API (version 2013-04-01), as its API reference describes it, over WireMock: hosted zones
 * found by name, record sets listed from a name on, change batches applied atomically (a DELETE must
 * match the set exactly, a CREATE must not find one), changes PENDING for a few reads and then INSYNC,
 * requests signed (Signature Version 4) with the one access key it knows, and the error documents Route 53
 * sends: {@code InvalidClientTokenId} for an unknown access key, {@code SignatureDoesNotMatch} for a wrong secret,
 * {@code Throttling} when asked to, {@code InvalidChangeBatch} for a batch that does not apply.
 */
final class FakeRoute53 implements AutoCloseable {

    static final String ACCESS_KEY_ID = "AKIDAUTOCERT4JTEST";
    static final String SECRET_ACCESS_KEY = "secret/for+tests";
    private static final String NS = "https://route53.amazonaws.com/doc/2013-04-01/";
    private static final Pattern RRSET = Pattern.compile("/2013-04-01/hostedzone/([^/]+)/rrset/?");
    private static final Pattern CHANGE = Pattern.compile("/2013-04-01/change/([^/]+)");
    private static final Pattern CREDENTIAL = Pattern.compile("Credential=([^/]+)/");

    /** A record set as Route 53 stores it: its TTL and its values, quoted as Route 53 gives them back. */
    record RecordSet(long ttl, List<String> values) {
    }

    private final WireMockServer server;
    private final Map<String, String> zones = new TreeMap<>();
    private final Map<String, Map<String, RecordSet>> recordSets = new TreeMap<>();
    private final Map<String, AtomicInteger> pendingReads = new TreeMap<>();
    private final AtomicInteger changeCount = new AtomicInteger();
    private final AtomicInteger throttled = new AtomicInteger();
    private volatile int pendingPolls;
    private volatile Runnable beforeNextChange = () -> { };

    FakeRoute53() {
        server = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1").extensions(new Api()));
        server.start();
        server.stubFor(any(anyUrl()).atPriority(10).willReturn(aResponse().withTransformers("route53")));
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.port());
    }

    WireMockServer server() {
        return server;
    }

    /** Adds a public hosted zone. */
    synchronized void addZone(String id, String name) {
        zones.put(id, absolute(name));
        recordSets.put(id, new TreeMap<>());
    }

    /** @return the text of the TXT values at a name, read from the stored record set */
    synchronized Set<String> txtValues(String zoneId, String name) {
        RecordSet set = recordSets.get(zoneId).get(absolute(name));
        return set == null ? Set.of() : set.values().stream().map(TxtStrings::unquote)
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }

    /** Stores a record set directly, as another writer would. */
    synchronized void putRecordSet(String zoneId, String name, RecordSet set) {
        recordSets.get(zoneId).put(absolute(name), set);
    }

    /** Each change stays PENDING for this many reads of its status. */
    void pendingPolls(int polls) {
        pendingPolls = polls;
    }

    /** Answers this many of the next requests with Route 53's {@code Throttling} error. */
    void throttleNext(int requests) {
        throttled.set(requests);
    }

    /** Runs once when the next change batch arrives, before it is applied. */
    void beforeNextChange(Runnable action) {
        beforeNextChange = action;
    }

    int changeBatches() {
        return changeCount.get();
    }

    @Override
    public void close() {
        server.stop();
    }

    private final class Api implements ResponseDefinitionTransformerV2 {

        @Override
        public String getName() {
            return "route53";
        }

        @Override
        public boolean applyGlobally() {
            return false;
        }

        @Override
        public ResponseDefinition transform(ServeEvent serveEvent) {
            Request request = serveEvent.getRequest();
            Matcher credential = CREDENTIAL.matcher(String.valueOf(request.getHeader("Authorization")));
            if (!credential.find() || !ACCESS_KEY_ID.equals(credential.group(1))) {
                return error(403, "InvalidClientTokenId", "The security token included in the request is invalid.");
            }
            if (!SignatureV4.isSignedWith(request, SECRET_ACCESS_KEY)) {
                return error(403, "SignatureDoesNotMatch", "The request signature we calculated does not match the"
                        + " signature you provided. Check your AWS Secret Access Key and signing method. Consult the"
                        + " service documentation for details.");
            }
            if (throttled.getAndUpdate(count -> Math.max(0, count - 1)) > 0) {
                return error(400, "Throttling", "Rate exceeded");
            }
            String path = URI.create(request.getUrl()).getPath();
            Matcher rrset = RRSET.matcher(path);
            Matcher change = CHANGE.matcher(path);
            synchronized (FakeRoute53.this) {
                if (path.equals("/2013-04-01/hostedzonesbyname") && request.getMethod().getName().equals("GET")) {
                    return listZones(request.queryParameter("dnsname").firstValue());
                }
                if (rrset.matches() && request.getMethod().getName().equals("GET")) {
                    return listRecordSets(rrset.group(1), request.queryParameter("name").firstValue());
                }
                if (rrset.matches() && request.getMethod().getName().equals("POST")) {
                    Runnable action = beforeNextChange;
                    beforeNextChange = () -> { };
                    action.run();
                    return changeRecordSets(rrset.group(1), request.getBodyAsString());
                }
                if (change.matches() && request.getMethod().getName().equals("GET")) {
                    return getChange(change.group(1));
                }
            }
            return error(404, "UnknownOperationException", "No operation at " + path);
        }
    }

    private ResponseDefinition listZones(String dnsName) {
        StringBuilder xml = new StringBuilder("<ListHostedZonesByNameResponse xmlns=\"" + NS + "\"><HostedZones>");
        zones.forEach((id, name) -> {
            if (name.compareTo(absolute(dnsName)) >= 0) {
                xml.append("<HostedZone><Id>/hostedzone/").append(id).append("</Id><Name>").append(name)
                        .append("</Name><CallerReference>").append(id).append("</CallerReference><Config>")
                        .append("<PrivateZone>false</PrivateZone></Config><ResourceRecordSetCount>")
                        .append(recordSets.get(id).size()).append("</ResourceRecordSetCount></HostedZone>");
            }
        });
        xml.append("</HostedZones><DNSName>").append(absolute(dnsName)).append("</DNSName><IsTruncated>false")
                .append("</IsTruncated><MaxItems>100</MaxItems></ListHostedZonesByNameResponse>");
        return ok(xml);
    }

    private ResponseDefinition listRecordSets(String zoneId, String startName) {
        Map<String, RecordSet> sets = recordSets.get(zoneId);
        if (sets == null) {
            return error(404, "NoSuchHostedZone", "No hosted zone found with ID: " + zoneId);
        }
        StringBuilder xml = new StringBuilder("<ListResourceRecordSetsResponse xmlns=\"" + NS + "\"><ResourceRecordSets>");
        sets.forEach((name, set) -> {
            if (name.compareTo(absolute(startName)) >= 0) {
                xml.append(recordSetXml(name, set));
            }
        });
        xml.append("</ResourceRecordSets><IsTruncated>false</IsTruncated><MaxItems>10</MaxItems>")
                .append("</ListResourceRecordSetsResponse>");
        return ok(xml);
    }

    private ResponseDefinition changeRecordSets(String zoneId, String body) {
        Map<String, RecordSet> sets = recordSets.get(zoneId);
        if (sets == null) {
            return error(404, "NoSuchHostedZone", "No hosted zone found with ID: " + zoneId);
        }
        Map<String, RecordSet> after = new TreeMap<>(sets);
        for (Element change : elements(parse(body).getDocumentElement(), "Change")) {
            String action = text(change, "Action");
            Element set = elements(change, "ResourceRecordSet").get(0);
            String name = absolute(text(set, "Name"));
            if (!"TXT".equals(text(set, "Type"))) {
                return invalidChangeBatch("This fake only stores TXT records, not " + text(set, "Type"));
            }
            RecordSet given = new RecordSet(Long.parseLong(text(set, "TTL")), elements(set, "Value").stream()
                    .map(Element::getTextContent).collect(Collectors.toList()));
            RecordSet existing = after.get(name);
            switch (action) {
                case "CREATE" -> {
                    if (existing != null) {
                        return invalidChangeBatch("Tried to create resource record set [name='" + name
                                + "', type='TXT'] but it already exists");
                    }
                    after.put(name, given);
                }
                case "DELETE" -> {
                    if (existing == null) {
                        return invalidChangeBatch("Tried to delete resource record set [name='" + name
                                + "', type='TXT'] but it was not found");
                    }
                    if (!existing.equals(given)) {
                        return invalidChangeBatch("Tried to delete resource record set [name='" + name
                                + "', type='TXT'] but the values provided do not match the current values");
                    }
                    after.remove(name);
                }
                case "UPSERT" -> after.put(name, given);
                default -> {
                    return error(400, "InvalidInput", "Invalid action " + action);
                }
            }
        }
        sets.clear();
        sets.putAll(after);
        String id = "C" + changeCount.incrementAndGet();
        pendingReads.put(id, new AtomicInteger(pendingPolls));
        return ok(new StringBuilder("<ChangeResourceRecordSetsResponse xmlns=\"" + NS + "\">")
                .append(changeInfo(id, pendingPolls > 0 ? "PENDING" : "INSYNC"))
                .append("</ChangeResourceRecordSetsResponse>"));
    }

    private ResponseDefinition getChange(String id) {
        AtomicInteger pending = pendingReads.get(id);
        if (pending == null) {
            return error(404, "NoSuchChange", "A change with the specified change ID does not exist.");
        }
        String status = pending.getAndDecrement() > 0 ? "PENDING" : "INSYNC";
        return ok(new StringBuilder("<GetChangeResponse xmlns=\"" + NS + "\">").append(changeInfo(id, status))
                .append("</GetChangeResponse>"));
    }

    private static String changeInfo(String id, String status) {
        return "<ChangeInfo><Id>/change/" + id + "</Id><Status>" + status + "</Status>"
                + "<SubmittedAt>2026-12-07T22:00:00.000Z</SubmittedAt></ChangeInfo>";
    }

    private static String recordSetXml(String name, RecordSet set) {
        StringBuilder xml = new StringBuilder("<ResourceRecordSet><Name>").append(name).append("</Name><Type>TXT</Type><TTL>")
                .append(set.ttl()).append("</TTL><ResourceRecords>");
        set.values().forEach(value -> xml.append("<ResourceRecord><Value>").append(escape(value)).append("</Value></ResourceRecord>"));
        return xml.append("</ResourceRecords></ResourceRecordSet>").toString();
    }

    private static ResponseDefinition ok(CharSequence xml) {
        return xml(200, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + xml);
    }

    private static ResponseDefinition invalidChangeBatch(String message) {
        return xml(400, "<?xml version=\"1.0\"?>\n<InvalidChangeBatch xmlns=\"" + NS + "\"><Messages><Message>"
                + escape(message) + "</Message></Messages><RequestId>b25f48e8-84fd-11e6-80d9-574e0c4664cb</RequestId>"
                + "</InvalidChangeBatch>");
    }

    private static ResponseDefinition error(int status, String code, String message) {
        return xml(status, "<?xml version=\"1.0\"?>\n<ErrorResponse xmlns=\"" + NS + "\"><Error><Type>Sender</Type><Code>"
                + code + "</Code><Message>" + escape(message) + "</Message></Error>"
                + "<RequestId>b25f48e8-84fd-11e6-80d9-574e0c4664cb</RequestId></ErrorResponse>");
    }

    private static ResponseDefinition xml(int status, String body) {
        return new ResponseDefinitionBuilder().withStatus(status).withHeader("Content-Type", "text/xml")
                .withHeader("x-amzn-RequestId", "b25f48e8-84fd-11e6-80d9-574e0c4664cb").withBody(body).build();
    }

    private static Document parse(String xml) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            return factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalArgumentException("Not XML: " + xml, e);
        }
    }

    private static List<Element> elements(Element parent, String name) {
        NodeList nodes = parent.getElementsByTagName(name);
        List<Element> elements = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            elements.add((Element) nodes.item(i));
        }
        return elements;
    }

    private static String text(Element parent, String name) {
        return elements(parent, name).get(0).getTextContent();
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static String absolute(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.endsWith(".") ? lower : lower + ".";
    }
}
