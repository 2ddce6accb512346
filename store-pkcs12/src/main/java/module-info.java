/**
 * The certificate stores of autocert4j in a folder: {@code FolderStorage} (named {@code folder}), core's
 * sealed store on owner-only files written atomically, which migrates a 0.2 folder once; and 0.2's
 * password-protected PKCS#12 files ({@code pkcs12}).
 */
module dev.autocert4j.pkcs12 {
    requires transitive dev.autocert4j;
    requires org.bouncycastle.provider;
    requires org.bouncycastle.pkix;
    requires org.slf4j;

    exports dev.autocert4j.pkcs12;

    provides dev.autocert4j.spi.CertificateStoreFactory with dev.autocert4j.pkcs12.Pkcs12StoreFactory,
            dev.autocert4j.pkcs12.FolderStoreFactory;
}
