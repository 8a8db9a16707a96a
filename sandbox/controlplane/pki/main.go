// pki writes the sandbox cluster's certificates into a directory, once: a CA, the API server's serving
// certificate (for 127.0.0.1 and the in-cluster names), client certificates for the admin and the controller
// manager, and the service-account signing key pair. Files that exist are kept, so a restarted control plane
// keeps its identity. Usage: pki <dir>
package main

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"time"
)

const validity = 10 * 365 * 24 * time.Hour

type certificate struct {
	cert *x509.Certificate
	key  *rsa.PrivateKey
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: pki <dir>")
		os.Exit(2)
	}
	if err := writeAll(os.Args[1]); err != nil {
		fmt.Fprintln(os.Stderr, "pki:", err)
		os.Exit(1)
	}
}

func writeAll(dir string) error {
	if _, err := os.Stat(filepath.Join(dir, "ca.crt")); err == nil {
		return nil // written by an earlier start
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	ca, err := issue(nil, &x509.Certificate{
		Subject:               pkix.Name{CommonName: "monoscope-sandbox-ca"},
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign | x509.KeyUsageDigitalSignature,
	})
	if err != nil {
		return err
	}
	serving, err := issue(ca, &x509.Certificate{
		Subject:     pkix.Name{CommonName: "kube-apiserver"},
		KeyUsage:    x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1"), net.ParseIP("10.0.0.1")},
		DNSNames: []string{"localhost", "kubernetes", "kubernetes.default", "kubernetes.default.svc",
			"kubernetes.default.svc.cluster.local"},
	})
	if err != nil {
		return err
	}
	admin, err := client(ca, "monoscope-admin", "system:masters")
	if err != nil {
		return err
	}
	controllers, err := client(ca, "system:kube-controller-manager", "")
	if err != nil {
		return err
	}
	serviceAccounts, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return err
	}
	publicKey, err := x509.MarshalPKIXPublicKey(&serviceAccounts.PublicKey)
	if err != nil {
		return err
	}
	files := []struct {
		name string
		kind string
		der  []byte
	}{
		{"apiserver.crt", "CERTIFICATE", serving.cert.Raw},
		{"apiserver.key", "RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(serving.key)},
		{"admin.crt", "CERTIFICATE", admin.cert.Raw},
		{"admin.key", "RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(admin.key)},
		{"controller-manager.crt", "CERTIFICATE", controllers.cert.Raw},
		{"controller-manager.key", "RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(controllers.key)},
		{"sa.key", "RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(serviceAccounts)},
		{"sa.pub", "PUBLIC KEY", publicKey},
		{"ca.key", "RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(ca.key)},
		{"ca.crt", "CERTIFICATE", ca.cert.Raw}, // last: its presence says the set is complete
	}
	for _, f := range files {
		data := pem.EncodeToMemory(&pem.Block{Type: f.kind, Bytes: f.der})
		if err := os.WriteFile(filepath.Join(dir, f.name), data, 0o600); err != nil {
			return err
		}
	}
	return nil
}

func client(ca *certificate, user, group string) (*certificate, error) {
	subject := pkix.Name{CommonName: user}
	if group != "" {
		subject.Organization = []string{group}
	}
	return issue(ca, &x509.Certificate{
		Subject:     subject,
		KeyUsage:    x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
	})
}

// issue signs template with the CA (or itself when ca is nil) under a new 2048-bit RSA key.
func issue(ca *certificate, template *x509.Certificate) (*certificate, error) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, err
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 62))
	if err != nil {
		return nil, err
	}
	template.SerialNumber = serial
	template.NotBefore = time.Now().Add(-time.Hour)
	template.NotAfter = time.Now().Add(validity)
	parent, signer := template, key
	if ca != nil {
		parent, signer = ca.cert, ca.key
	}
	der, err := x509.CreateCertificate(rand.Reader, template, parent, &key.PublicKey, signer)
	if err != nil {
		return nil, err
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, err
	}
	return &certificate{cert, key}, nil
}
