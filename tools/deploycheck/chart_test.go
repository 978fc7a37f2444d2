package deploycheck

import (
	"fmt"
	"strings"
	"testing"

	monv1 "github.com/prometheus-operator/prometheus-operator/pkg/apis/monitoring/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
)

// TestChartRenders renders the chart with the value combinations the
// guide's commands use that a single node can honour, and decodes every
// object strictly.
func TestChartRenders(t *testing.T) {
	for _, set := range [][]string{
		nil,
		{"image.repository=your-registry/zeptodb", "image.tag=1.0.0"},
		{"config.workerThreads=16"},
		{"config.workerThreads=16", "config.queryCacheSize=2000"},
		{"persistence.existingClaim=zeptodb-data-restored"},
		{"replicaCount=1", "image.tag=2.0.0", "service.type=ClusterIP", "autoscaling.enabled=false", "podDisruptionBudget.enabled=false"},
		{"serviceMonitor.enabled=true", "serviceMonitor.interval=15s"},
		{"gracefulShutdown.preStopSleepSeconds=30", "gracefulShutdown.terminationGracePeriodSeconds=60"},
		{"resources.limits.memory=64Gi"},
		{"resources.requests.cpu=8", "resources.requests.memory=32Gi", "resources.limits.cpu=16", "resources.limits.memory=64Gi"},
		{"tls.enabled=true"},
		{"networkPolicy.enabled=true"},
		{"auth.enabled=false"},
		{"persistence.enabled=false"},
	} {
		t.Run(strings.Join(set, ","), func(t *testing.T) {
			r, err := render(set...)
			if err != nil {
				t.Fatal(err)
			}
			d := r.deployment(t)
			pod := d.Spec.Template
			for k, v := range d.Spec.Selector.MatchLabels {
				if pod.Labels[k] != v {
					t.Errorf("selector %s=%s does not select the pod (labels %v)", k, v, pod.Labels)
				}
			}
			c := pod.Spec.Containers[0]
			if c.ReadinessProbe.HTTPGet.Path != "/ready" || c.LivenessProbe.HTTPGet.Path != "/health" || c.StartupProbe.HTTPGet.Path != "/health" {
				t.Errorf("probes: readiness %s, liveness %s, startup %s", c.ReadinessProbe.HTTPGet.Path, c.LivenessProbe.HTTPGet.Path, c.StartupProbe.HTTPGet.Path)
			}
			if pod.Annotations["checksum/config"] == "" || pod.Annotations["prometheus.io/scrape"] != "true" || pod.Annotations["prometheus.io/path"] != "/metrics" {
				t.Errorf("pod annotations %v", pod.Annotations)
			}
			svc := r.objects["Service/zeptodb"].(*corev1.Service)
			if svc.Spec.Ports[0].Port != 8123 || r.objects["Service/zeptodb-headless"].(*corev1.Service).Spec.ClusterIP != "None" {
				t.Errorf("services: %+v", svc.Spec.Ports)
			}
			if conf := r.configMap(t).Data["zeptodb.conf"]; !strings.Contains(conf, "data_dir: /var/lib/zeptodb") {
				t.Errorf("zeptodb.conf:\n%s", conf)
			}
		})
	}
}

// TestChartValues: each value the guide sets shows where it must.
func TestChartValues(t *testing.T) {
	r, err := render("config.workerThreads=16", "config.queryCacheSize=2000", "persistence.existingClaim=zeptodb-data-restored",
		"gracefulShutdown.preStopSleepSeconds=30", "gracefulShutdown.terminationGracePeriodSeconds=60", "image.repository=your-registry/zeptodb", "image.tag=1.1.0",
		"serviceMonitor.enabled=true", "serviceMonitor.interval=15s", "networkPolicy.enabled=true", "service.type=ClusterIP")
	if err != nil {
		t.Fatal(err)
	}
	conf := r.configMap(t).Data["zeptodb.conf"]
	for _, want := range []string{"worker_threads: 16", "query_cache_size: 2000", "shutdown_timeout_seconds: 30", "api_keys_file: /etc/zeptodb/auth/keys.txt"} {
		if !strings.Contains(conf, want+"\n") {
			t.Errorf("zeptodb.conf lacks %q:\n%s", want, conf)
		}
	}
	d := r.deployment(t)
	pod := d.Spec.Template.Spec
	if *pod.TerminationGracePeriodSeconds != 60 || strings.Join(pod.Containers[0].Lifecycle.PreStop.Exec.Command, " ") != "sleep 30" {
		t.Errorf("graceful shutdown: %d s, preStop %v", *pod.TerminationGracePeriodSeconds, pod.Containers[0].Lifecycle.PreStop.Exec.Command)
	}
	if pod.Containers[0].Image != "your-registry/zeptodb:1.1.0" {
		t.Errorf("image %s", pod.Containers[0].Image)
	}
	if v := volume(pod, "data"); v.PersistentVolumeClaim == nil || v.PersistentVolumeClaim.ClaimName != "zeptodb-data-restored" {
		t.Errorf("data volume %+v", v)
	}
	if _, ok := r.objects["PersistentVolumeClaim/zeptodb-data"]; ok {
		t.Error("a claim is created although persistence.existingClaim is set")
	}
	if r.objects["Service/zeptodb"].(*corev1.Service).Spec.Type != corev1.ServiceTypeClusterIP {
		t.Error("service.type=ClusterIP not applied")
	}
	sm := r.objects["ServiceMonitor/zeptodb"].(*monv1.ServiceMonitor)
	if string(sm.Spec.Endpoints[0].Interval) != "15s" || sm.Spec.Endpoints[0].Path != "/metrics" {
		t.Errorf("ServiceMonitor endpoint %+v", sm.Spec.Endpoints[0])
	}
	np := r.objects["NetworkPolicy/zeptodb-netpol"].(*networkingv1.NetworkPolicy)
	if len(np.Spec.Ingress[0].From) != 2 || np.Spec.Ingress[0].Ports[0].Port.IntVal != 8123 {
		t.Errorf("NetworkPolicy %+v", np.Spec.Ingress)
	}

	// The data claim is the guide's zeptodb-data, kept on uninstall.
	r, err = render()
	if err != nil {
		t.Fatal(err)
	}
	pvc, ok := r.objects["PersistentVolumeClaim/zeptodb-data"].(*corev1.PersistentVolumeClaim)
	if !ok || pvc.Annotations["helm.sh/resource-policy"] != "keep" {
		t.Errorf("claim zeptodb-data: %v", r.kinds())
	}
	if env := r.deployment(t).Spec.Template.Spec.Containers[0].Env; len(env) != 1 || env[0].Name != "JWT_SECRET" ||
		env[0].ValueFrom.SecretKeyRef.Name != "zeptodb-jwt" || env[0].ValueFrom.SecretKeyRef.Key != "JWT_SECRET" {
		t.Errorf("JWT_SECRET from the zeptodb-jwt Secret: %+v", env)
	}
	if v := volume(r.deployment(t).Spec.Template.Spec, "auth"); v.Secret == nil || v.Secret.SecretName != "zeptodb-auth" || v.Secret.Items[0].Key != "keys.txt" {
		t.Errorf("keys file from the zeptodb-auth Secret: %+v", v)
	}
}

// TestChartTLS: tls.enabled mounts the TLS Secret, points the server's
// tls_cert and tls_key into it and makes the probes and scrapes HTTPS.
func TestChartTLS(t *testing.T) {
	r, err := render("tls.enabled=true", "tls.secretName=zeptodb-tls", "serviceMonitor.enabled=true")
	if err != nil {
		t.Fatal(err)
	}
	pod := r.deployment(t).Spec.Template
	v := volume(pod.Spec, "tls")
	if v.Secret == nil || v.Secret.SecretName != "zeptodb-tls" {
		t.Fatalf("tls volume %+v", v)
	}
	mount := ""
	for _, m := range pod.Spec.Containers[0].VolumeMounts {
		if m.Name == "tls" {
			mount = m.MountPath
		}
	}
	conf := r.configMap(t).Data["zeptodb.conf"]
	if mount == "" || !strings.Contains(conf, "tls_cert: "+mount+"/tls.crt\n") || !strings.Contains(conf, "tls_key: "+mount+"/tls.key\n") {
		t.Fatalf("mounted at %q; zeptodb.conf:\n%s", mount, conf)
	}
	c := pod.Spec.Containers[0]
	for _, p := range []*corev1.Probe{c.ReadinessProbe, c.LivenessProbe, c.StartupProbe} {
		if p.HTTPGet.Scheme != corev1.URISchemeHTTPS {
			t.Errorf("probe %s over %s", p.HTTPGet.Path, p.HTTPGet.Scheme)
		}
	}
	if pod.Annotations["prometheus.io/scheme"] != "https" || fmt.Sprint(*r.objects["ServiceMonitor/zeptodb"].(*monv1.ServiceMonitor).Spec.Endpoints[0].Scheme) != "https" {
		t.Error("scrapes are not HTTPS")
	}
}

// TestChartRefusesWhatItCannotRun: several replicas without cluster mode
// would be several databases behind one Service.
func TestChartRefusesWhatItCannotRun(t *testing.T) {
	for _, set := range []string{"replicaCount=3", "autoscaling.enabled=true", "podDisruptionBudget.enabled=true", "cluster.enabled=true"} {
		if _, err := render(set); err == nil || !strings.Contains(err.Error(), "cluster mode") {
			t.Errorf("--set %s: %v, want a refusal naming cluster mode", set, err)
		}
	}
	// values.schema.json: a misspelt or mistyped value is an error, not
	// silently ignored.
	for set, want := range map[string]string{
		"service.prot=1":             "prot",
		"replicaCount=zero":          "replicaCount",
		"config.walSync=sometimes":   "walSync",
		"config.workerThread=16":     "workerThread",
		"tls.secret=zeptodb-tls":     "secret",
		"persistence.existingClam=x": "existingClam",
	} {
		if _, err := render(set); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("--set %s: %v, want a schema error naming %s", set, err, want)
		}
	}
}

func volume(pod corev1.PodSpec, name string) corev1.Volume {
	for _, v := range pod.Volumes {
		if v.Name == name {
			return v
		}
	}
	return corev1.Volume{}
}
