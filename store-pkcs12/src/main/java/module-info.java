/**
 * The default certificate store of autocert4j: password-protected PKCS#12 files in a folder,
 * written atomically with owner-only permissions.
 */
module dev.autocert4j.pkcs12 {
    requires transitive dev.autocert4j;
    requires org.bouncycastle.provider;
    requires org.bouncycastle.pkix;

    exports dev.autocert4j.pkcs12;

    provides dev.autocert4j.spi.CertificateStoreFactory with dev.autocert4j.pkcs12.Pkcs12StoreFactory;
}
