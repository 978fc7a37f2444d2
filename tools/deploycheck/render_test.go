package deploycheck

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	monv1 "github.com/prometheus-operator/prometheus-operator/pkg/apis/monitoring/v1"
	"helm.sh/helm/v3/pkg/chart/loader"
	"helm.sh/helm/v3/pkg/chartutil"
	"helm.sh/helm/v3/pkg/engine"
	"helm.sh/helm/v3/pkg/strvals"
	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	policyv1 "k8s.io/api/policy/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/serializer/json"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
)

const chartDir = "../../deploy/helm/zeptodb"

// kubeVersion is the oldest Kubernetes the chart is rendered for.
const kubeVersion = "v1.26.0"

// rendered is one rendering of the chart: its objects by kind and name.
type rendered struct {
	objects map[string]runtime.Object // "Kind/name"
	raw     map[string]string         // template path → YAML
}

func (r rendered) deployment(t *testing.T) *appsv1.Deployment {
	t.Helper()
	d, ok := r.objects["Deployment/zeptodb"].(*appsv1.Deployment)
	if !ok {
		t.Fatalf("no Deployment zeptodb in %v", r.kinds())
	}
	return d
}

func (r rendered) configMap(t *testing.T) *corev1.ConfigMap {
	t.Helper()
	c, ok := r.objects["ConfigMap/zeptodb"].(*corev1.ConfigMap)
	if !ok {
		t.Fatalf("no ConfigMap zeptodb in %v", r.kinds())
	}
	return c
}

func (r rendered) kinds() []string {
	var out []string
	for k := range r.objects {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// render renders the chart as release "zeptodb" in namespace zeptodb
// with --set style overrides, the way helm template does, with missing
// values as errors.
func render(set ...string) (rendered, error) {
	ch, err := loader.Load(chartDir)
	if err != nil {
		return rendered{}, err
	}
	if ok := chartutil.IsCompatibleRange(ch.Metadata.KubeVersion, kubeVersion); !ok {
		return rendered{}, fmt.Errorf("the chart's kubeVersion %q excludes %s", ch.Metadata.KubeVersion, kubeVersion)
	}
	overrides := map[string]any{}
	for _, s := range set {
		if err := strvals.ParseInto(s, overrides); err != nil {
			return rendered{}, fmt.Errorf("--set %s: %w", s, err)
		}
	}
	caps := chartutil.DefaultCapabilities.Copy()
	caps.KubeVersion = chartutil.KubeVersion{Version: kubeVersion, Major: "1", Minor: "26"}
	vals, err := chartutil.ToRenderValuesWithSchemaValidation(ch, overrides, chartutil.ReleaseOptions{Name: "zeptodb", Namespace: "zeptodb", IsInstall: true}, caps, false)
	if err != nil {
		return rendered{}, err
	}
	files, err := engine.Engine{Strict: true}.Render(ch, vals)
	if err != nil {
		return rendered{}, err
	}
	out := rendered{objects: map[string]runtime.Object{}, raw: files}
	dec := decoder()
	for path, text := range files {
		if !strings.HasSuffix(path, ".yaml") {
			continue
		}
		docs := utilyaml.NewYAMLReader(bufio.NewReader(strings.NewReader(text)))
		for {
			doc, err := docs.Read()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				return rendered{}, fmt.Errorf("%s: %w", path, err)
			}
			if len(bytes.TrimSpace(doc)) == 0 || isComment(doc) {
				continue
			}
			obj, gvk, err := dec.Decode(doc, nil, nil)
			if err != nil {
				return rendered{}, fmt.Errorf("%s: %w\n%s", filepath.Base(path), err, doc)
			}
			name := obj.(interface{ GetName() string }).GetName()
			out.objects[gvk.Kind+"/"+name] = obj
		}
	}
	return out, nil
}

func isComment(doc []byte) bool {
	for _, line := range strings.Split(string(doc), "\n") {
		if l := strings.TrimSpace(line); l != "" && !strings.HasPrefix(l, "#") {
			return false
		}
	}
	return true
}

// decoder decodes YAML into the registered Kubernetes types, failing on
// any field the type does not have (a misspelt field is an error, not
// silently dropped as the API server's lenient path would).
func decoder() runtime.Decoder {
	s := runtime.NewScheme()
	for _, add := range []func(*runtime.Scheme) error{corev1.AddToScheme, appsv1.AddToScheme, autoscalingv2.AddToScheme,
		batchv1.AddToScheme, networkingv1.AddToScheme, policyv1.AddToScheme, rbacv1.AddToScheme, monv1.AddToScheme} {
		if err := add(s); err != nil {
			panic(err)
		}
	}
	return json.NewSerializerWithOptions(json.DefaultMetaFactory, s, s, json.SerializerOptions{Yaml: true, Strict: true})
}
