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
