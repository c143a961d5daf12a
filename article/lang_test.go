package article

import "testing"

func TestDetectLang(t *testing.T) {
	tests := []struct{ text, want string }{
		{"The Senate passed a $14 billion flood relief package early Friday after an all-night session, sending the measure to the House, where leaders said they expected a vote next week.", "en"},
		{"Le gouvernement a présenté mardi un projet de loi de finances rectificative, qui prévoit dix milliards d'euros d'économies supplémentaires pour tenir l'objectif de déficit.", "fr"},
		{"Die Bundesregierung hat am Dienstag einen Nachtragshaushalt vorgelegt, der zusätzliche Einsparungen von zehn Milliarden Euro vorsieht, um das Defizitziel einzuhalten.", "de"},
		{"El gobierno presentó el martes un proyecto de presupuesto rectificativo que prevé diez mil millones de euros de ahorro adicional para cumplir el objetivo de déficit.", "es"},
		{"Il governo ha presentato martedì una manovra correttiva che prevede dieci miliardi di euro di risparmi aggiuntivi per rispettare l'obiettivo di deficit fissato in primavera.", "it"},
		{"De regering heeft dinsdag een aanvullende begroting gepresenteerd die voorziet in tien miljard euro aan extra bezuinigingen om het tekortdoel te halen.", "nl"},
		{"O governo apresentou na terça-feira um orçamento retificativo que prevê dez mil milhões de euros de poupanças adicionais para cumprir a meta do défice.", "pt"},
		{"Правительство во вторник представило поправки к бюджету, предусматривающие дополнительную экономию в размере десяти миллиардов евро.", "ru"},
		{"सरकार ने मंगलवार को एक संशोधित बजट पेश किया जिसमें घाटे के लक्ष्य को पूरा करने के लिए अतिरिक्त बचत का प्रावधान है।", "hi"},
		{"Guvernul a prezentat marți un proiect de buget rectificativ care prevede economii suplimentare de zece miliarde de euro pentru a respecta ținta de deficit.", "ro"},
		{"Port workers returned to work on Thursday after union leaders and terminal operators agreed on a new wage deal, ending a three-day strike that had left dozens of ships waiting.", "en"},
		{"Short text.", ""},
		{"", ""},
	}
	for _, tc := range tests {
		got, conf := DetectLang(tc.text)
		if got != tc.want {
			t.Errorf("DetectLang(%.40q) = %q (%.2f), want %q", tc.text, got, conf, tc.want)
		}
		if conf < 0 || conf > 1 || (got == "" && conf != 0) || (got != "" && conf == 0) {
			t.Errorf("DetectLang(%.40q) confidence %v", tc.text, conf)
		}
	}
}

func TestIdentifyKeepsGivenLang(t *testing.T) {
	a := Article{Text: "The Senate passed a $14 billion flood relief package early Friday after an all-night session.", Lang: "de"}
	Identify(&a)
	if a.Lang != "de" {
		t.Errorf("Identify replaced a given language: %q", a.Lang)
	}
	b := Article{Text: "Le gouvernement a présenté mardi un projet de loi de finances rectificative, qui prévoit dix milliards d'euros."}
	Identify(&b)
	if b.Lang != "fr" || b.Extra["lang_confidence"] == "" || IsEnglish(&b) {
		t.Errorf("Identify: lang %q extra %v", b.Lang, b.Extra)
	}
}

// TestLooksEnglishFastPath: ordinary English news takes the function-word
// path (microseconds); other languages never do.
func TestLooksEnglishFastPath(t *testing.T) {
	en := []string{
		"Port workers returned to work on Thursday after union leaders and terminal operators agreed on a new wage deal, ending a three-day strike that had left dozens of ships waiting.",
		"Officials in the capital said on Monday that the new bridge would open next spring after years of delay, cost overruns and disputes between contractors.",
	}
	for _, s := range en {
		if ok, conf := looksEnglish(s); !ok || conf < 0.9 {
			t.Errorf("looksEnglish(%.40q) = %v, %.2f", s, ok, conf)
		}
	}
	other := []string{
		"Il governo ha presentato martedì una manovra correttiva che prevede dieci miliardi di euro di risparmi aggiuntivi per rispettare l'obiettivo di deficit fissato in primavera, e a danno dei comuni.",
		"De regering heeft dinsdag een aanvullende begroting gepresenteerd die voorziet in tien miljard euro aan extra bezuinigingen om het tekortdoel te halen.",
		"O governo apresentou na terça-feira um orçamento retificativo que prevê dez mil milhões de euros de poupanças adicionais para cumprir a meta do défice.",
	}
	for _, s := range other {
		if ok, _ := looksEnglish(s); ok {
			t.Errorf("looksEnglish(%.40q) = true", s)
		}
	}
}
